import fc from 'fast-check';
import { xxh64 as nativeXxh64 } from '@node-rs/xxhash';
import { shardOfKeyString, shardsOfKeys } from '@miroir/core';
import { shardsOfKeysWasm, wasmHashAvailable, xxh64Wasm } from '../../../libs/core/src/hash/xxh64-wasm';
import { XXH64_WASM } from '../../../libs/core/src/hash/xxh64-wasm-module';

// The WebAssembly XXH64 (libs/core/src/hash/xxh64.wat) that routes documents in batches: it must be
// the source's bytes and agree bit for bit with an independent XXH64 and with the pure-JS path.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const buildWasm = require('../../../scripts/build-wasm.cjs') as { assemble(): Promise<Uint8Array>; render(b: Uint8Array): string };

const enc = new TextEncoder();
const nativeShard = (key: string, S: number): number =>
  Number(nativeXxh64(Buffer.concat([Buffer.from(enc.encode(key)), Buffer.from([0xff])])) % BigInt(S));

describe('WebAssembly XXH64', () => {
  it('runs on this host (Node has WebAssembly), so routing takes the fast path', () => {
    expect(wasmHashAvailable()).toBe(true);
  });

  it('the committed module is exactly what xxh64.wat assembles to (run `npm run build:wasm` after editing it)', async () => {
    expect(Buffer.from(XXH64_WASM).equals(Buffer.from(await buildWasm.assemble()))).toBe(true);
  });

  it('is bit-for-bit XXH64 (seed 0) of @node-rs/xxhash for every length class (stripes, 8/4/1-byte lanes)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (bytes) => {
        expect(xxh64Wasm(bytes)).toBe(nativeXxh64(Buffer.from(bytes)));
      }),
      { numRuns: 2000 },
    );
  });

  it('shards a batch exactly as the spec layout utf8(pk) ‖ 0xFF mod S, for any keys and shard count', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ maxLength: 40 })), { maxLength: 60 }),
        fc.oneof(fc.integer({ min: 1, max: 1024 }), fc.integer({ min: 1, max: 2 ** 26 })),
        (keys, S) => {
          const shards = Array.from(shardsOfKeys(keys, S));
          expect(shards).toEqual(keys.map((k) => nativeShard(k, S)));
          expect(shards).toEqual(keys.map((k) => shardOfKeyString(k, S)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reproduces the spec vectors through the batch path', () => {
    expect(Array.from(shardsOfKeys(['user:12345', 'test'], 64))).toEqual([15, shardOfKeyString('test', 64)]);
    expect(Array.from(shardsOfKeys(['test'], 16))).toEqual([10]);
  });

  it('splits batches larger than its memory into chunks without losing or shifting a key', () => {
    // 40,000 keys overflow the 16,384-key region; 2,000-unit keys overflow the 128 KiB byte region.
    const many = Array.from({ length: 40_000 }, (_, i) => `k-${i}`);
    const wide = Array.from({ length: 300 }, (_, i) => `${'é'.repeat(1_000)}${i}`);
    for (const [keys, S] of [[many, 64], [wide, 97]] as const) {
      const shards = shardsOfKeys(keys, S);
      for (let k = 0; k < keys.length; k += 97) expect(shards[k]).toBe(nativeShard(keys[k]!, S));
      expect(shards[keys.length - 1]).toBe(nativeShard(keys[keys.length - 1]!, S));
    }
  });

  it('leaves a key too long for its memory to the JS hash, and keeps its neighbours right', () => {
    const huge = 'x'.repeat(50_000);
    const keys = ['a', huge, 'b'];
    const out = new Int32Array(3);
    expect(shardsOfKeysWasm(keys, 64, out)).toBe(true);
    expect(out[1]).toBe(-1);
    expect([out[0], out[2]]).toEqual([nativeShard('a', 64), nativeShard('b', 64)]);
    expect(Array.from(shardsOfKeys(keys, 64))).toEqual(keys.map((k) => nativeShard(k, 64)));
  });
});
