import fc from 'fast-check';
import {
  candidateKeys,
  matchesFilter,
  parseFilter,
  pinnedPrimaryKeys,
  printFilter,
  type FilterExpr,
} from '../../../../libs/core/src/query';
import { shardForKey } from '@miroir/core/hashing';
import { filterArb, stripSpans } from './filter-arbitraries';

const pinned = (filter: string | string[]): string[] | undefined => pinnedPrimaryKeys(parseFilter(filter), 'id');

describe('pinnedPrimaryKeys', () => {
  it('pins pk = x and pk IN [...], alone or ANDed with anything', () => {
    expect(pinned('id = 42')).toEqual(['42']);
    expect(pinned('id IN [1, 2]')).toEqual(['1', '2']);
    expect(pinned('genre = horror AND id = 7')).toEqual(['7']);
    expect(pinned(['genre = horror', 'id = 7'])).toEqual(['7']);
    expect(pinned('id IN [1, 2, 3] AND id IN [2, 3, 4]')).toEqual(['2', '3']);
    expect(pinned('id = 1 OR id = 2')).toEqual(['1', '2']);
    expect(pinned('NOT id != 5')).toEqual(['5']);
  });

  it('does not pin what may match other keys', () => {
    expect(pinned('genre = horror')).toBeUndefined();
    expect(pinned('id != 1')).toBeUndefined();
    expect(pinned('id > 1')).toBeUndefined();
    expect(pinned('id = 1 OR genre = x')).toBeUndefined();
    expect(pinned('NOT id = 1')).toBeUndefined();
    expect(pinnedPrimaryKeys(null, 'id')).toBeUndefined();
  });

  it('includes every key that Meilisearch equality would match', () => {
    // Strings match case-insensitively and numbers numerically.
    expect(pinned('id = aB')).toEqual(['AB', 'Ab', 'aB', 'ab']);
    expect(pinned('id = 01')).toEqual(['01', '1']);
    expect(pinned('id = 1.0')).toEqual(['1']);
    expect(pinned('id = "1.5"')).toEqual([]);
    expect(candidateKeys('x'.repeat(11))).toBeNull();
    expect(pinned(`id = ${'x'.repeat(11)}`)).toBeUndefined();
  });
});

// Documents whose ids collide under Meilisearch's equality rules, so unsound pinning is caught.
const idArb = fc.oneof(
  fc.constantFrom<string | number>('a', 'A', 'ab', 'aB', 'Ab', 'x-1', 'X-1', '1', '01', '10', 1, 2, 10, 0),
  fc.integer({ min: 0, max: 20 }),
);
const docArb = fc.record({
  id: idArb,
  genre: fc.constantFrom('horror', 'Horror', 'drama', ''),
  n: fc.oneof(fc.integer({ min: -2, max: 12 }), fc.constant(null), fc.constantFrom('1', '10')),
  tags: fc.array(fc.constantFrom('a', 'b', 'A'), { maxLength: 2 }),
});

describe('planner soundness (property)', () => {
  it('every document matching the filter has its key pinned and its shard selected', () => {
    fc.assert(
      fc.property(filterArb(['id', 'genre', 'n', 'tags'], ['a', 'A', 'ab', 'AB', '1', '01', '1.0', '10', 'horror', '2', '0', 'x-1']), fc.array(docArb, { maxLength: 12 }), fc.integer({ min: 1, max: 64 }), (expr: FilterExpr, docs, shards) => {
        const keys = pinnedPrimaryKeys(expr, 'id');
        if (keys === undefined) return;
        const keySet = new Set(keys);
        const shardSet = new Set(keys.map((k) => shardForKey(k, shards)));
        for (const doc of docs) {
          if (!matchesFilter(expr, doc)) continue;
          expect(keySet.has(String(doc.id))).toBe(true);
          expect(shardSet.has(shardForKey(doc.id, shards))).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('printer round trip (property)', () => {
  it('parse(print(ast)) equals ast', () => {
    fc.assert(
      fc.property(filterArb(['id', 'a.b', 'with space', 'AND', 'q"uote', 'back\\slash'], ['x', '', ' y ', 'OR', '"', "'", '\\', '\\"', 'é', '\n', '1.5']), (expr) => {
        const printed = printFilter(expr);
        expect(stripSpans(parseFilter(printed))).toEqual(stripSpans(expr));
      }),
      { numRuns: 2000 },
    );
  });
});
