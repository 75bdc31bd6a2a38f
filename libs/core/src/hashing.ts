// The exact byte layouts of docs/design.md#hashing. Another implementation laying out the same bytes routes
// every document to the same shard and every shard to the same nodes.

import { scratchBuffer, writeUtf8 } from './hash/utf8';
import { xxh64Halves } from './hash/xxh64';
import { shardsOfKeysWasm } from './hash/xxh64-wasm';

const KEY_TERMINATOR = 0xff;
const TWO_POW_32 = 4294967296;

/** A primary key as the client sent it: a string, or an integer (routed by its decimal form). */
export type PrimaryKeyValue = string | number;

/**
 * The string a primary key is hashed as. `42` and `"42"` are the same document, as in Meilisearch.
 * Throws on a non-integer number: callers validate ids before routing (see document-id.ts).
 */
export function pkString(pk: PrimaryKeyValue): string {
  if (typeof pk === 'string') return pk;
  if (!Number.isInteger(pk)) throw new TypeError(`primary key ${pk} is not an integer`);
  // String(-0) is "0", and integers beyond 2^53 print in full decimal up to 1e21.
  return Number.isSafeInteger(pk) ? String(pk) : BigInt(pk).toString();
}

function hashKeyBytes(key: string): Int32Array {
  const n = key.length;
  const buf = scratchBuffer(n * 3 + 1);
  // Valid primary keys are ASCII: copy the UTF-16 units straight (one branch per key, not per
  // unit), and redo the copy with the UTF-8 writer if any unit was not ASCII.
  let any = 0;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    any |= c;
    buf[i] = c;
  }
  const len = any < 0x80 ? n : writeUtf8(key, buf, 0);
  buf[len] = KEY_TERMINATOR;
  return xxh64Halves(buf, len + 1);
}

function assertShardCount(shardCount: number): void {
  // 2^26 keeps (hi mod S) * (2^32 mod S) + (lo mod S) below 2^53, so the modulo is exact in doubles.
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > 1 << 26) {
    throw new RangeError(`shard count must be an integer in [1, 2^26], got ${shardCount}`);
  }
}

/** `XXH64(utf8(pkString) ‖ 0xFF)`, unsigned. */
export function keyHash(pk: PrimaryKeyValue): bigint {
  const r = hashKeyBytes(pkString(pk));
  return (BigInt(r[0]! >>> 0) << 32n) | BigInt(r[1]! >>> 0);
}

/** `XXH64(utf8(pkString) ‖ 0xFF) mod S`: the shard a document lives in. */
export function shardForKey(pk: PrimaryKeyValue, shardCount: number): number {
  assertShardCount(shardCount);
  return shardOfKeyString(typeof pk === 'string' ? pk : pkString(pk), shardCount);
}

/** shardForKey for an already-stringified key and a validated shard count (the routing hot path). */
export function shardOfKeyString(key: string, shardCount: number): number {
  const r = hashKeyBytes(key);
  return mod64(r[0]!, r[1]!, shardCount);
}

/**
 * shardOfKeyString for every key, in one pass: through the WebAssembly XXH64 when the host has it
 * (~4x faster per key: native 64-bit multiplies, one call per batch), else the pure-JS hash.
 */
export function shardsOfKeys(keys: readonly string[], shardCount: number): Int32Array {
  const out = new Int32Array(keys.length);
  if (shardsOfKeysWasm(keys, shardCount, out)) {
    for (let k = 0; k < out.length; k++) if (out[k]! < 0) out[k] = shardOfKeyString(keys[k]!, shardCount);
  } else {
    for (let k = 0; k < keys.length; k++) out[k] = shardOfKeyString(keys[k]!, shardCount);
  }
  return out;
}

/**
 * (hi·2^32 + lo) mod m for int32 halves of an unsigned 64-bit value. `%` on a uint32 above 2^31 is
 * a float modulo in V8 (a libm call, ~3x the cost of the whole hash's arithmetic for three of them),
 * so shard counts up to 2^15 — every realistic one — reduce 16 bits at a time in int32 arithmetic,
 * and a power of two is a mask (2^64 is a multiple of it).
 */
function mod64(hi: number, lo: number, m: number): number {
  if ((m & (m - 1)) === 0) return lo & (m - 1);
  if (m <= 0x8000) {
    let r = (hi >>> 16) % m;
    r = ((r << 16) | (hi & 0xffff)) % m;
    r = ((r << 16) | (lo >>> 16)) % m;
    return ((r << 16) | (lo & 0xffff)) % m;
  }
  return (((hi >>> 0) % m) * (TWO_POW_32 % m) + ((lo >>> 0) % m)) % m;
}

/** `XXH64(u32le(shard) ‖ utf8(nodeId) ‖ 0xFF)`: a node's rendezvous score for a shard, unsigned. */
export function nodeScore(shard: number, nodeId: string): bigint {
  const r = nodeScoreHalves(shard, nodeId);
  return (BigInt(r[0]! >>> 0) << 32n) | BigInt(r[1]! >>> 0);
}

/** nodeScore() as [high, low] int32 halves, overwritten by the next hash. */
export function nodeScoreHalves(shard: number, nodeId: string): Int32Array {
  if (!Number.isInteger(shard) || shard < 0 || shard > 0xffffffff) {
    throw new RangeError(`shard must be a u32, got ${shard}`);
  }
  const buf = scratchBuffer(nodeId.length * 3 + 5);
  buf[0] = shard & 0xff;
  buf[1] = (shard >>> 8) & 0xff;
  buf[2] = (shard >>> 16) & 0xff;
  buf[3] = (shard >>> 24) & 0xff;
  const end = writeUtf8(nodeId, buf, 4);
  buf[end] = KEY_TERMINATOR;
  return xxh64Halves(buf, end + 1);
}

export { assertShardCount };
