import fc from 'fast-check';
import { xxh64 as nativeXxh64 } from '@node-rs/xxhash';
import { keyHash, nodeScore, pkString, shardForKey, xxh64 } from '@miroir/core';

const enc = new TextEncoder();

function nativeKeyHash(key: string): bigint {
  return nativeXxh64(Buffer.concat([Buffer.from(enc.encode(key)), Buffer.from([0xff])]));
}

describe('docs/design.md#hashing hashing', () => {
  it('reproduces the three vectors of the spec', () => {
    expect(keyHash('user:12345')).toBe(4838344264720400847n);
    expect(shardForKey('user:12345', 64)).toBe(15);
    expect(shardForKey('test', 16)).toBe(10);
    expect(nodeScore(0, 'meili-0')).toBe(12731063314527458815n);
  });

  it('is bit-for-bit XXH64 (seed 0) of @node-rs/xxhash for every length class', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), (bytes) => {
        expect(xxh64(bytes)).toBe(nativeXxh64(Buffer.from(bytes)));
      }),
      { numRuns: 2000 },
    );
  });

  it('lays out keys as utf8(pk) ‖ 0xFF, including non-ASCII and long keys', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.oneof(fc.integer({ min: 1, max: 1024 }), fc.integer({ min: 1, max: 2 ** 26 })), (key, S) => {
        const h = nativeKeyHash(key);
        expect(keyHash(key)).toBe(h);
        expect(shardForKey(key, S)).toBe(Number(h % BigInt(S)));
      }),
      { numRuns: 1000 },
    );
  });

  it('lays out scores as u32le(shard) ‖ utf8(nodeId) ‖ 0xFF', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.string({ unit: 'grapheme', maxLength: 60 }), (shard, node) => {
        const prefix = Buffer.alloc(4);
        prefix.writeUInt32LE(shard);
        const expected = nativeXxh64(Buffer.concat([prefix, Buffer.from(enc.encode(node)), Buffer.from([0xff])]));
        expect(nodeScore(shard, node)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('routes an integer key by its decimal form, so 42 and "42" are the same document', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expect(shardForKey(n, 64)).toBe(shardForKey(String(n), 64));
      }),
    );
    expect(pkString(-0)).toBe('0');
    expect(() => shardForKey(1.5, 64)).toThrow(TypeError);
    expect(() => shardForKey('x', 0)).toThrow(RangeError);
  });
});
