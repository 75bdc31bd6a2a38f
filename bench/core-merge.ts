// Merging 1,000 hits from 3 shards with facets. Run after the build:
// `node dist/bench/core-merge.js`.

import { Hit, NodeSearchResponse, mergeSearchResults } from '@miroir/core';
import { measure, report } from './core-stats';

const SHARDS = 3;
const TOTAL = 1000;

function nodeResponse(node: number, count: number, sorted: boolean): NodeSearchResponse {
  const hits: Hit[] = [];
  for (let i = 0; i < count; i++) {
    const price = ((i * 37 + node * 11) % 997) / 10;
    const doc = { id: `p-${node}-${i}`, title: `Product ${i} of shard ${node}`, price, color: ['red', 'blue', 'green'][i % 3], _miroir_shard: node * 7 };
    hits.push({
      ...doc,
      _formatted: { ...doc, title: `<em>Product</em> ${i}`, price: String(price), _miroir_shard: String(node * 7) },
      _rankingScore: 1 - i / (count + 1) - node / 1e4,
      ...(sorted ? { _rankingScoreDetails: { words: { order: 0, score: 1 }, 'price:asc': { order: 1, value: price } } } : {}),
    });
  }
  if (sorted) hits.sort((a, b) => (a['price'] as number) - (b['price'] as number));
  const colors: Record<string, number> = {};
  const sizes: Record<string, number> = {};
  for (let v = 0; v < 50; v++) {
    colors[`color-${v}`] = (v * 13 + node) % 40;
    sizes[String(v)] = (v * 7 + node) % 30;
  }
  return {
    hits,
    estimatedTotalHits: 5000 + node,
    processingTimeMs: 3 + node,
    facetDistribution: { color: colors, size: sizes, _miroir_shard: { '7': count } },
    facetStats: { size: { min: node, max: 49 + node }, price: { min: 0, max: 99.7 } },
  };
}

const perNode = Math.ceil(TOTAL / SHARDS);
const byScore = Array.from({ length: SHARDS }, (_, n) => nodeResponse(n, perNode, false));
const bySort = Array.from({ length: SHARDS }, (_, n) => nodeResponse(n, perNode, true));
const facets = ['color', 'size'];

console.log(`libs/core merge bench — ${SHARDS} shards × ${perNode} hits, 2 facets × 50 values, node ${process.version}`);
report('merge 1,000 hits from 3 shards, facets, return 1,000', measure(() => null, () => mergeSearchResults({ limit: 1000, facets }, byScore)), 1);
report('merge 1,000 hits from 3 shards, facets, return 20', measure(() => null, () => mergeSearchResults({ limit: 20, facets }, byScore)), 1);
report(
  'merge 1,000 hits, sort price:asc (score details), return 1,000',
  measure(() => null, () => mergeSearchResults({ limit: 1000, facets, sort: ['price:asc'] }, bySort)),
);
