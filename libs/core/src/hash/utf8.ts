// A growable scratch buffer and a UTF-8 writer. Written out rather than using TextEncoder so that
// the hashing code has no dependency on host globals (it also runs in Temporal's workflow sandbox)
// and so that ASCII keys — every valid primary key — take a copy loop with no allocation.

let scratch = new Uint8Array(1024);

/** The scratch buffer, grown to hold at least `size` bytes. Its contents are not preserved. */
export function scratchBuffer(size: number): Uint8Array {
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, scratch.length * 2));
  return scratch;
}

/**
 * Writes `s` as UTF-8 into `buf` at `offset` and returns the offset after it. Lone surrogates
 * become U+FFFD, as in TextEncoder (Rust strings, the reference implementation, cannot hold them).
 * `buf` must have room for 3 bytes per UTF-16 unit.
 */
export function writeUtf8(s: string, buf: Uint8Array, offset: number): number {
  let o = offset;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[o++] = c;
    } else if (c < 0x800) {
      buf[o++] = 0xc0 | (c >> 6);
      buf[o++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          buf[o++] = 0xf0 | (cp >> 18);
          buf[o++] = 0x80 | ((cp >> 12) & 0x3f);
          buf[o++] = 0x80 | ((cp >> 6) & 0x3f);
          buf[o++] = 0x80 | (cp & 0x3f);
          continue;
        }
        c = 0xfffd;
      }
      buf[o++] = 0xe0 | (c >> 12);
      buf[o++] = 0x80 | ((c >> 6) & 0x3f);
      buf[o++] = 0x80 | (c & 0x3f);
    }
  }
  return o;
}
