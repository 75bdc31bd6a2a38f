// XXH64 (seed 0) over 32-bit integer halves.
//
// Why not call @node-rs/xxhash here: routing hashes one short key per document, and the N-API
// call plus BigInt boxing and BigInt `%` cost ~0.3 µs per key (measured: ~2.7 ms for 10,000 keys,
// over the 2 ms routing budget), while this runs at ~0.13 µs. It is also pure JavaScript, so
// Temporal workflow code can compute assignments inside its sandbox where native addons cannot
// load. Exactness is proven by test/unit/core/hashing.spec.ts, which checks it bit for bit against
// @node-rs/xxhash on random inputs of every length class (short tail, 4/8-byte lanes, 32-byte
// stripes).

const P1H = 0x9e3779b1 | 0;
const P1L = 0x85ebca87 | 0;
const P2H = 0xc2b2ae3d | 0;
const P2L = 0x27d4eb4f | 0;
const P3H = 0x165667b1 | 0;
const P3L = 0x9e3779f9 | 0;
const P4H = 0x85ebca77 | 0;
const P4L = 0xc2b2ae63 | 0;
const P5H = 0x27d4eb2f | 0;
const P5L = 0x165667c5 | 0;

/**
 * Result registers: [high 32 bits, low 32 bits] of the last operation. Returning through a typed
 * array keeps every intermediate an int32, which V8 never boxes — the difference between 0.13 µs
 * and 0.4 µs per hash.
 */
const R = new Int32Array(2);

/** R = a * b mod 2^64. */
function mul(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const c0 = Math.imul(a0, b0) >>> 0;
  let c16 = (c0 >>> 16) + (Math.imul(a1, b0) >>> 0);
  let c32 = c16 >>> 16;
  c16 = (c16 & 0xffff) + (Math.imul(a0, b1) >>> 0);
  c32 = c32 + (c16 >>> 16) + (Math.imul(a1, b1) >>> 0);
  R[1] = ((c16 & 0xffff) << 16) | (c0 & 0xffff);
  R[0] = (c32 + Math.imul(ah, bl) + Math.imul(al, bh)) | 0;
}

/** R = a + b mod 2^64. */
function add(ah: number, al: number, bh: number, bl: number): void {
  const lo = (al + bl) | 0;
  R[1] = lo;
  R[0] = (ah + bh + ((lo >>> 0) < (al >>> 0) ? 1 : 0)) | 0;
}

/** R = round(acc, lane) = rotl(acc + lane * P2, 31) * P1. */
function round(acch: number, accl: number, lh: number, ll: number): void {
  mul(lh, ll, P2H, P2L);
  add(acch, accl, R[0]!, R[1]!);
  const h = R[0]!;
  const l = R[1]!;
  mul((h << 31) | (l >>> 1), (l << 31) | (h >>> 1), P1H, P1L);
}

function read32(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
}

/**
 * XXH64 with seed 0 of `bytes[0..len)`. The result is left in the returned view as
 * [high, low] signed 32-bit halves; it is overwritten by the next call.
 */
export function xxh64Halves(bytes: Uint8Array, len: number): Int32Array {
  let hh: number;
  let hl: number;
  let i = 0;
  if (len >= 32) {
    // v1 = P1 + P2, v2 = P2, v3 = 0, v4 = -P1 (mod 2^64)
    add(P1H, P1L, P2H, P2L);
    let v1h = R[0]!;
    let v1l = R[1]!;
    let v2h = P2H;
    let v2l = P2L;
    let v3h = 0;
    let v3l = 0;
    add(~P1H, ~P1L, 0, 1);
    let v4h = R[0]!;
    let v4l = R[1]!;
    for (; i + 32 <= len; i += 32) {
      round(v1h, v1l, read32(bytes, i + 4), read32(bytes, i));
      v1h = R[0]!;
      v1l = R[1]!;
      round(v2h, v2l, read32(bytes, i + 12), read32(bytes, i + 8));
      v2h = R[0]!;
      v2l = R[1]!;
      round(v3h, v3l, read32(bytes, i + 20), read32(bytes, i + 16));
      v3h = R[0]!;
      v3l = R[1]!;
      round(v4h, v4l, read32(bytes, i + 28), read32(bytes, i + 24));
      v4h = R[0]!;
      v4l = R[1]!;
    }
    // h = rotl(v1,1) + rotl(v2,7) + rotl(v3,12) + rotl(v4,18)
    add((v1h << 1) | (v1l >>> 31), (v1l << 1) | (v1h >>> 31), (v2h << 7) | (v2l >>> 25), (v2l << 7) | (v2h >>> 25));
    add(R[0]!, R[1]!, (v3h << 12) | (v3l >>> 20), (v3l << 12) | (v3h >>> 20));
    add(R[0]!, R[1]!, (v4h << 18) | (v4l >>> 14), (v4l << 18) | (v4h >>> 14));
    hh = R[0]!;
    hl = R[1]!;
    const vs = [v1h, v1l, v2h, v2l, v3h, v3l, v4h, v4l];
    for (let k = 0; k < 8; k += 2) {
      // h = (h ^ round(0, v)) * P1 + P4
      round(0, 0, vs[k]!, vs[k + 1]!);
      mul(hh ^ R[0]!, hl ^ R[1]!, P1H, P1L);
      add(R[0]!, R[1]!, P4H, P4L);
      hh = R[0]!;
      hl = R[1]!;
    }
    add(hh, hl, 0, len);
  } else {
    add(P5H, P5L, 0, len);
  }
  hh = R[0]!;
  hl = R[1]!;
  for (; i + 8 <= len; i += 8) {
    round(0, 0, read32(bytes, i + 4), read32(bytes, i));
    hh ^= R[0]!;
    hl ^= R[1]!;
    mul((hh << 27) | (hl >>> 5), (hl << 27) | (hh >>> 5), P1H, P1L);
    add(R[0]!, R[1]!, P4H, P4L);
    hh = R[0]!;
    hl = R[1]!;
  }
  if (i + 4 <= len) {
    mul(0, read32(bytes, i), P1H, P1L);
    hh ^= R[0]!;
    hl ^= R[1]!;
    mul((hh << 23) | (hl >>> 9), (hl << 23) | (hh >>> 9), P2H, P2L);
    add(R[0]!, R[1]!, P3H, P3L);
    hh = R[0]!;
    hl = R[1]!;
    i += 4;
  }
  for (; i < len; i++) {
    mul(0, bytes[i]!, P5H, P5L);
    hh ^= R[0]!;
    hl ^= R[1]!;
    mul((hh << 11) | (hl >>> 21), (hl << 11) | (hh >>> 21), P1H, P1L);
    hh = R[0]!;
    hl = R[1]!;
  }
  // avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32
  hl ^= hh >>> 1;
  mul(hh, hl, P2H, P2L);
  hh = R[0]!;
  hl = R[1]!;
  hl ^= (hh << 3) | (hl >>> 29);
  hh ^= hh >>> 29;
  mul(hh, hl, P3H, P3L);
  hh = R[0]!;
  hl = R[1]!;
  R[0] = hh;
  R[1] = hl ^ hh;
  return R;
}

/** XXH64 (seed 0) of the whole byte array, as an unsigned 64-bit bigint. */
export function xxh64(bytes: Uint8Array): bigint {
  const r = xxh64Halves(bytes, bytes.length);
  return (BigInt(r[0]! >>> 0) << 32n) | BigInt(r[1]! >>> 0);
}
