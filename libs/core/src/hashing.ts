// The exact byte layouts of SPEC §3.1. Another implementation laying out the same bytes routes
// every document to the same shard and every shard to the same nodes.

import { scratchBuffer, writeUtf8 } from './hash/utf8';
import { xxh64Halves } from './hash/xxh64';

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
  let len = 0;
  // Valid primary keys are ASCII; copy them straight, fall back to the UTF-8 writer otherwise.
  for (; len < n; len++) {
    const c = key.charCodeAt(len);
    if (c >= 0x80) {
      len = writeUtf8(key, buf, 0);
      break;
    }
    buf[len] = c;
  }
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
  const hi = r[0]! >>> 0;
  const lo = r[1]! >>> 0;
  return ((hi % shardCount) * (TWO_POW_32 % shardCount) + (lo % shardCount)) % shardCount;
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
