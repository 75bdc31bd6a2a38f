// XXH64 (seed 0) over 32-bit integer halves: the pure-JS hash.
//
// Routing batches go through the WebAssembly XXH64 (xxh64.wat, xxh64-wasm.ts), ~2.5x faster per
// key. This one hashes single keys and node scores, and everything on hosts without WebAssembly:
// Temporal workflow code computes assignments inside a sandbox where native addons cannot load and
// WebAssembly may be unavailable. It runs at ~0.17 µs per short key against ~0.33 µs for an N-API
// call into @node-rs/xxhash plus its BigInt (docs/benchmarks.md). Exactness is proven by
// test/unit/core/hashing.spec.ts, bit for bit against @node-rs/xxhash on random inputs of every
// length class (short tail, 4/8-byte lanes, 32-byte stripes).

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

// Each prime's low word split into 16-bit halves, for mul().
const P1L0 = P1L & 0xffff;
const P1L1 = P1L >>> 16;
const P2L0 = P2L & 0xffff;
const P2L1 = P2L >>> 16;
const P3L0 = P3L & 0xffff;
const P3L1 = P3L >>> 16;
const TWO_POW_16 = 65536;
const TWO_POW_32 = 4294967296;

/**
 * R = a * b mod 2^64 for a constant b = (bh, bl) whose low word is split as bl = b1 * 2^16 + b0.
 *
 * The low word is Math.imul's. The high word needs the top half of the 64-bit product al * bl:
 * al * b0 and al * b1 are below 2^48, so they and the sums below are exact doubles, and
 * floor((al * b1 + floor(al * b0 / 2^16)) / 2^16) is that top half (the dropped low 16 bits of
 * al * b0 cannot carry past a multiple of 2^16). `>>> 0` floors a non-negative double below 2^32.
 * Two float multiplies replace the four imuls and the carry shuffling of 16-bit limbs: ~25% faster.
 */
function mul(ah: number, al: number, bh: number, bl: number, b0: number, b1: number): void {
  const au = al >>> 0;
  const top = ((au * b1 + ((au * b0) / TWO_POW_16 >>> 0)) / TWO_POW_16) >>> 0;
  R[1] = Math.imul(al, bl);
  R[0] = (top + Math.imul(ah, bl) + Math.imul(al, bh)) | 0;
}

/** R = a + b mod 2^64. */
function add(ah: number, al: number, bh: number, bl: number): void {
  const lo = (al + bl) | 0;
  R[1] = lo;
  R[0] = (ah + bh + ((lo >>> 0) < (al >>> 0) ? 1 : 0)) | 0;
}

/** R = round(acc, lane) = rotl(acc + lane * P2, 31) * P1. */
function round(acch: number, accl: number, lh: number, ll: number): void {
  mul(lh, ll, P2H, P2L, P2L0, P2L1);
  add(acch, accl, R[0]!, R[1]!);
  const h = R[0]!;
  const l = R[1]!;
  mul((h << 31) | (l >>> 1), (l << 31) | (h >>> 1), P1H, P1L, P1L0, P1L1);
}

function read32(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
}

/**
 * XXH64 with seed 0 of `bytes[0..len)`. The result is left in the returned view as
 * [high, low] signed 32-bit halves; it is overwritten by the next call.
 */
export function xxh64Halves(bytes: Uint8Array, len: number): Int32Array {
  if (len < 32) {
    // h = P5 + len (no carry: P5's low word is far below 2^32 - 32). Every primary key and
    // node-score input takes this branch.
    return finish(P5H, (P5L + len) | 0, bytes, 0, len);
  }
  stripes(bytes, len);
  return finish(R[0]!, R[1]!, bytes, len & ~31, len);
}

/**
 * R = the accumulator after every whole 32-byte stripe, merged, plus len (inputs of 32+ bytes).
 * Kept apart from finish() so the short-input path stays small enough for V8 to inline every
 * mul() into it — one function holding both ran 20% slower.
 */
function stripes(bytes: Uint8Array, len: number): void {
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
  for (let i = 0; i + 32 <= len; i += 32) {
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
  let hh = R[0]!;
  let hl = R[1]!;
  const vs = [v1h, v1l, v2h, v2l, v3h, v3l, v4h, v4l];
  for (let k = 0; k < 8; k += 2) {
    // h = (h ^ round(0, v)) * P1 + P4
    round(0, 0, vs[k]!, vs[k + 1]!);
    mul(hh ^ R[0]!, hl ^ R[1]!, P1H, P1L, P1L0, P1L1);
    add(R[0]!, R[1]!, P4H, P4L);
    hh = R[0]!;
    hl = R[1]!;
  }
  add(hh, hl, 0, len);
}

/** The remaining 8-, 4- and 1-byte lanes from `i`, then the avalanche; the result in R. */
function finish(hh: number, hl: number, bytes: Uint8Array, i: number, len: number): Int32Array {
  // The additions of constants are written out: through add() they cost two more R round trips.
  let lo: number;
  for (; i + 8 <= len; i += 8) {
    // h ^= round(0, lane) = rotl(lane * P2, 31) * P1
    mul(read32(bytes, i + 4), read32(bytes, i), P2H, P2L, P2L0, P2L1);
    const kh = R[0]!;
    const kl = R[1]!;
    mul((kh << 31) | (kl >>> 1), (kl << 31) | (kh >>> 1), P1H, P1L, P1L0, P1L1);
    hh ^= R[0]!;
    hl ^= R[1]!;
    // h = rotl(h, 27) * P1 + P4
    mul((hh << 27) | (hl >>> 5), (hl << 27) | (hh >>> 5), P1H, P1L, P1L0, P1L1);
    lo = (R[1]! + P4L) | 0;
    hh = (R[0]! + P4H + ((lo >>> 0) < (R[1]! >>> 0) ? 1 : 0)) | 0;
    hl = lo;
  }
  if (i + 4 <= len) {
    // h ^= u32 * P1; h = rotl(h, 23) * P2 + P3
    mul(0, read32(bytes, i), P1H, P1L, P1L0, P1L1);
    hh ^= R[0]!;
    hl ^= R[1]!;
    mul((hh << 23) | (hl >>> 9), (hl << 23) | (hh >>> 9), P2H, P2L, P2L0, P2L1);
    lo = (R[1]! + P3L) | 0;
    hh = (R[0]! + P3H + ((lo >>> 0) < (R[1]! >>> 0) ? 1 : 0)) | 0;
    hl = lo;
    i += 4;
  }
  for (; i < len; i++) {
    // byte * P5: below 2^40, so one exact double multiply gives both words.
    const b = bytes[i]!;
    const x = b * (P5L >>> 0);
    hh ^= (((x / TWO_POW_32) >>> 0) + Math.imul(b, P5H)) | 0;
    hl ^= x | 0;
    mul((hh << 11) | (hl >>> 21), (hl << 11) | (hh >>> 21), P1H, P1L, P1L0, P1L1);
    hh = R[0]!;
    hl = R[1]!;
  }
  // avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32
  hl ^= hh >>> 1;
  mul(hh, hl, P2H, P2L, P2L0, P2L1);
  hh = R[0]!;
  hl = R[1]!;
  hl ^= (hh << 3) | (hl >>> 29);
  hh ^= hh >>> 29;
  mul(hh, hl, P3H, P3L, P3L0, P3L1);
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
