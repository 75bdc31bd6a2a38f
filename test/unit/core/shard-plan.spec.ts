import fc from 'fast-check';
import { matchesFilter, parseFilter, planShards, planShardsForFilter, printFilter, shardForKey } from '@miroir/core';
import { filterArb } from './query/filter-arbitraries';

const S = 16;
// Keys that collide under Meilisearch's case-insensitive equality, and integers vs their strings.
const keys = ['abc', 'ABC', 'aBc', 'x-1', 'X-1', '42', '042', 'zz', 'Zz'];
const docArb = fc.record({
  id: fc.oneof(fc.constantFrom(...keys), fc.constantFrom(42, 7, 0)),
  color: fc.constantFrom('red', 'Blue', 'blue'),
  n: fc.integer({ min: 0, max: 5 }),
});
const values = ['abc', 'ABC', 'x-1', '42', '042', '42.0', '7', 'zz', 'red', 'blue', '3', 'nope'];

describe('PK planner, shard side (docs/design.md#read-path)', () => {
  it('always keeps every shard that holds a matching document', () => {
    fc.assert(
      fc.property(fc.array(docArb, { maxLength: 25 }), filterArb(['id', 'color', 'n'], values), (docs, expr) => {
        const plan = planShards(expr, 'id', S);
        for (const doc of docs) {
          if (matchesFilter(expr, doc)) expect(plan.shards).toContain(shardForKey(doc.id, S));
        }
        // the same plan whatever form the filter arrives in
        expect(planShardsForFilter(printFilter(expr), 'id', S)).toEqual(plan);
      }),
      { numRuns: 500 },
    );
  });

  it('narrows pinned keys to their owners, case variants and numeric forms included', () => {
    const plan = planShardsForFilter('id = aBc AND color = red', 'id', 64);
    expect(plan.narrowed).toBe(true);
    for (const k of ['abc', 'ABC', 'Abc', 'abC']) expect(plan.shards).toContain(shardForKey(k, 64));
    expect(planShardsForFilter(['id IN [042, 7]'], 'id', 64).shards).toEqual(
      [...new Set(['042', '42', '7'].map((k) => shardForKey(k, 64)))].sort((a, b) => a - b),
    );
  });

  it('queries every shard when the key is not pinned or the filter is invalid, one shard when nothing can match', () => {
    expect(planShardsForFilter('id != 1', 'id', 8)).toEqual({ shards: [0, 1, 2, 3, 4, 5, 6, 7], narrowed: false });
    expect(planShardsForFilter('id = 1 OR color = red', 'id', 8).narrowed).toBe(false);
    expect(planShardsForFilter('id = (', 'id', 8).narrowed).toBe(false);
    expect(planShardsForFilter(null, 'id', 2)).toEqual({ shards: [0, 1], narrowed: false });
    const none = planShards(parseFilter('id IN []'), 'id', 8);
    expect(none).toEqual({ shards: [0], narrowed: true });
  });
});
