// Routing 10,000 documents (S=64, 3 nodes, RG=1, RF=2) into per-node batches, `_miroir_shard`
// injected. Run after the build: `node dist/bench/core-routing.js`.

import { xxh64 as nativeXxh64 } from '@node-rs/xxhash';
import xxhashWasm from 'xxhash-wasm';
import { buildShardTable, routeDocuments, shardForKey, shardsOfKeys, validateDocuments } from '@miroir/core';
import { measure, report } from './core-stats';

const DOCS = 10_000;
const S = 64;

async function main(): Promise<void> {
  const table = buildShardTable(
    {
      version: 1,
      replicationFactor: 2,
      groups: 1,
      nodes: ['meili-0', 'meili-1', 'meili-2'].map((id) => ({ id, address: `http://${id}:7700`, group: 0, state: 'active' as const })),
    },
    S,
  );
  const body = JSON.stringify(
    Array.from({ length: DOCS }, (_, i) => ({
      id: `product-${i * 7919}`,
      title: `Product number ${i}`,
      price: (i % 500) / 10,
      tags: ['red', 'sale'],
    })),
  );
  const fresh = (): Record<string, unknown>[] => JSON.parse(body) as Record<string, unknown>[];
  console.log(`libs/core routing bench — ${DOCS} docs, S=${S}, 3 nodes, RG=1, RF=2, node ${process.version}`);

  report('route 10,000 docs into per-node batches (tag in place)', measure(fresh, (docs) => routeDocuments(docs, 'id', table)), 2);
  report('route 10,000 docs (tag shallow copies)', measure(fresh, (docs) => routeDocuments(docs, 'id', table, { copy: true })));
  report('validate 10,000 docs (ids + reserved fields, any depth)', measure(fresh, (docs) => validateDocuments(docs, 'id')));

  // The hash alone, four ways: why libs/core carries its own XXH64 (see hash/xxh64.wat, xxh64.ts).
  const keys = (fresh() as { id: string }[]).map((d) => d.id);
  const enc = new TextEncoder();
  const buf = new Uint8Array(1024);
  const wasm = await xxhashWasm();
  const S_BIG = BigInt(S);
  const viaLib = (hash: (b: Uint8Array) => bigint) => () => {
    for (const k of keys) {
      const n = enc.encodeInto(k, buf).written;
      buf[n] = 0xff;
      Number(hash(buf.subarray(0, n + 1)) % S_BIG);
    }
  };
  report('shard of 10,000 keys: libs/core WebAssembly batch (routing)', measure(() => null, () => shardsOfKeys(keys, S)));
  report('shard of 10,000 keys: libs/core pure-JS XXH64 (fallback)', measure(() => null, () => keys.forEach((k) => shardForKey(k, S))));
  report('shard of 10,000 keys: @node-rs/xxhash (N-API + BigInt)', measure(() => null, viaLib((b) => nativeXxh64(b))));
  report('shard of 10,000 keys: xxhash-wasm h64Raw (+ BigInt)', measure(() => null, viaLib((b) => wasm.h64Raw(b))));
}

void main();
