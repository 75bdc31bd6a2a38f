import fc from 'fast-check';
import { Hit, NodeSearchResponse, compareSortValues, mergeSearchResults, nodeSearchParams } from '@miroir/core';

/** Node lists of hits with scores from a small set (so ties happen), each sorted as a node would. */
const nodeLists = fc.array(
  fc.array(fc.record({ title: fc.string({ maxLength: 3 }), _rankingScore: fc.constantFrom(0.1, 0.5, 0.5, 0.9, 1) }), { maxLength: 30 }),
  { minLength: 1, maxLength: 4 },
);

function tag(lists: Hit[][]): Hit[][] {
  return lists.map((l, node) => l.map((h, pos) => ({ ...h, id: `${node}-${pos}` })));
}

function byScore(lists: Hit[][]): Hit[][] {
  return lists.map((l) => [...l].sort((a, b) => (b['_rankingScore'] as number) - (a['_rankingScore'] as number)));
}

/** The reference order: the union sorted by score, ties by node then position. */
function referenceOrder(lists: Hit[][], compare: (a: Hit, b: Hit) => number): string[] {
  const all = lists.flatMap((l, node) => l.map((hit, pos) => ({ hit, node, pos })));
  all.sort((a, b) => compare(a.hit, b.hit) || a.node - b.node || a.pos - b.pos);
  return all.map((e) => e.hit['id'] as string);
}

const responses = (lists: Hit[][], window = Infinity): NodeSearchResponse[] =>
  lists.map((hits) => ({ hits: hits.slice(0, window), estimatedTotalHits: hits.length, processingTimeMs: 1 }));

const ids = (hits: readonly Hit[]) => hits.map((h) => h['id'] as string);

describe('search merge (docs/design.md#read-path)', () => {
  it('merging per-node score-sorted lists equals sorting their union (ties: node order, then position)', () => {
    fc.assert(
      fc.property(nodeLists, (raw) => {
        const lists = byScore(tag(raw));
        const merged = mergeSearchResults({ limit: 1000 }, responses(lists));
        expect(ids(merged.hits)).toEqual(
          referenceOrder(lists, (a, b) => (b['_rankingScore'] as number) - (a['_rankingScore'] as number)),
        );
      }),
    );
  });

  it('with sort, orders by Meilisearch sort values rule by rule, then relevancy, as the union sorted', () => {
    const sortValue = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'b', 'B', 'é'), fc.constant(null));
    const hit = fc.record({ v: sortValue, words: fc.constantFrom(0.5, 1), _rankingScore: fc.constantFrom(0.2, 0.8) });
    fc.assert(
      fc.property(fc.array(fc.array(hit, { maxLength: 20 }), { minLength: 1, maxLength: 3 }), fc.constantFrom('asc', 'desc' as const), (raw, dir) => {
        const withDetails = tag(
          raw.map((l) =>
            l.map(({ v, words, _rankingScore }) => ({
              price: v,
              _rankingScore,
              _rankingScoreDetails: { words: { order: 0, score: words }, [`price:${dir}`]: { order: 1, value: v } },
            })),
          ),
        );
        const cmp = (a: Hit, b: Hit): number => {
          const da = a['_rankingScoreDetails'] as Record<string, { score?: number; value?: unknown }>;
          const db = b['_rankingScoreDetails'] as Record<string, { score?: number; value?: unknown }>;
          return (
            db['words']!.score! - da['words']!.score! ||
            compareSortValues(da[`price:${dir}`]!.value, db[`price:${dir}`]!.value, dir) ||
            (b['_rankingScore'] as number) - (a['_rankingScore'] as number)
          );
        };
        // each node returns its own list in its order
        const lists = withDetails.map((l) => [...l].sort(cmp));
        const merged = mergeSearchResults({ limit: 1000, sort: [`price:${dir}`] }, responses(lists));
        expect(ids(merged.hits)).toEqual(referenceOrder(lists, cmp));
        expect(merged.hits.every((h) => !('_rankingScoreDetails' in h) && !('_rankingScore' in h))).toBe(true);
      }),
    );
  });

  it('cuts any offset/limit window after the merge: pages concatenate to the full list, no duplicate, no gap', () => {
    fc.assert(
      fc.property(nodeLists, fc.integer({ min: 1, max: 15 }), (raw, limit) => {
        const lists = byScore(tag(raw));
        const full = ids(mergeSearchResults({ limit: 1000 }, responses(lists)).hits);
        const pages: string[] = [];
        for (let offset = 0; offset < full.length + limit; offset += limit) {
          // each node answers the node request: its first offset+limit hits
          const req = nodeSearchParams({ offset, limit });
          expect(req).toMatchObject({ offset: 0, limit: offset + limit, showRankingScore: true });
          const page = mergeSearchResults({ offset, limit }, responses(lists, req['limit'] as number));
          expect(page.offset).toBe(offset);
          expect(page.limit).toBe(limit);
          pages.push(...ids(page.hits));
        }
        expect(pages).toEqual(full);
      }),
    );
  });

  it('supports page/hitsPerPage the same way and recomputes totalPages from summed totalHits', () => {
    fc.assert(
      fc.property(nodeLists, fc.integer({ min: 1, max: 10 }), (raw, hitsPerPage) => {
        const lists = byScore(tag(raw));
        const full = ids(mergeSearchResults({ limit: 1000 }, responses(lists)).hits);
        const total = lists.reduce((s, l) => s + l.length, 0);
        const seen: string[] = [];
        for (let page = 1; page <= Math.ceil(total / hitsPerPage) + 1; page++) {
          const req = nodeSearchParams({ page, hitsPerPage });
          expect(req).toMatchObject({ page: 1, hitsPerPage: page * hitsPerPage });
          const nodes = lists.map((hits) => ({ hits: hits.slice(0, page * hitsPerPage), totalHits: hits.length }));
          const res = mergeSearchResults({ page, hitsPerPage }, nodes);
          expect(res).toMatchObject({ page, hitsPerPage, totalHits: total, totalPages: Math.ceil(total / hitsPerPage) });
          expect(res.estimatedTotalHits).toBeUndefined();
          seen.push(...ids(res.hits));
        }
        expect(seen).toEqual(full);
      }),
    );
  });

  it('never lets a reserved field survive, at any depth of hits or _formatted', () => {
    const key = fc.oneof(fc.constantFrom('_miroir_shard', '_miroir_updated_at', '_miroir_x'), fc.stringMatching(/^[a-z]{1,4}$/));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small' },
        fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.constant(null)),
        fc.array(tie('tree'), { maxLength: 3 }),
        fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
      ),
    }));
    const hitArb = fc.record({ doc: fc.dictionary(key, tree, { maxKeys: 5 }), formatted: fc.dictionary(key, tree, { maxKeys: 5 }) });
    const reservedKeys = (v: unknown): string[] =>
      Array.isArray(v)
        ? v.flatMap(reservedKeys)
        : typeof v === 'object' && v !== null
          ? Object.entries(v).flatMap(([k, x]) => [...(k.startsWith('_miroir_') ? [k] : []), ...reservedKeys(x)])
          : [];
    fc.assert(
      fc.property(fc.array(hitArb, { minLength: 1, maxLength: 5 }), (hits) => {
        const nodeHits = hits.map(({ doc, formatted }, i) => ({
          ...doc,
          _miroir_shard: i,
          _rankingScore: 1 - i / 10,
          _formatted: { ...formatted, _miroir_shard: String(i) },
          _matchesPosition: { _miroir_shard: [{ start: 0, length: 1 }] },
        }));
        const res = mergeSearchResults({ limit: 100, facets: ['x'] }, [
          { hits: nodeHits, facetDistribution: { _miroir_shard: { '1': 3 }, x: { a: 1 } }, facetStats: { _miroir_shard: { min: 0, max: 9 } } },
        ]);
        expect(reservedKeys(res)).toEqual([]);
        expect(res.hits).toHaveLength(hits.length);
        expect(res.facetDistribution).toEqual({ x: { a: 1 } });
        expect(res.facetStats).toEqual({});
      }),
    );
  });

  it('sums totals and facet counts (values from any node, one key per normalized value), merges facetStats by min/max', () => {
    const res = mergeSearchResults({ q: 'shoe', facets: ['color', 'size'], showRankingScore: true }, [
      {
        hits: [{ id: 1, _rankingScore: 0.9 }],
        estimatedTotalHits: 10,
        processingTimeMs: 4,
        facetDistribution: { color: { Blue: 2, red: 1 }, size: { '10': 1, '9': 2 } },
        facetStats: { size: { min: 9, max: 10 } },
      },
      {
        hits: [{ id: 2, _rankingScore: 0.95 }],
        estimatedTotalHits: 5,
        processingTimeMs: 11,
        facetDistribution: { color: { blue: 3, green: 4 }, size: { '8': 1 } },
        facetStats: { size: { min: 8, max: 9.5 } },
      },
    ]);
    expect(res).toEqual({
      hits: [
        { id: 2, _rankingScore: 0.95 },
        { id: 1, _rankingScore: 0.9 },
      ],
      query: 'shoe',
      processingTimeMs: 11,
      limit: 20,
      offset: 0,
      estimatedTotalHits: 15,
      facetDistribution: { color: { Blue: 5, green: 4, red: 1 }, size: { '8': 1, '9': 2, '10': 1 } },
      facetStats: { size: { min: 8, max: 10 } },
    });
    expect(Object.keys(res.facetDistribution!['color']!)).toEqual(['Blue', 'green', 'red']);
  });

  it('orders facet values by count when asked and keeps maxValuesPerFacet', () => {
    const res = mergeSearchResults({ facets: ['c'] }, [{ hits: [], facetDistribution: { c: { a: 1, b: 5, c: 2 } } }, { hits: [], facetDistribution: { c: { a: 9 } } }], {
      faceting: { sortFacetValuesBy: { '*': 'count' }, maxValuesPerFacet: 2 },
    });
    expect(Object.entries(res.facetDistribution!['c']!)).toEqual([
      ['a', 10],
      ['b', 5],
    ]);
  });

  it('never returns hits past maxTotalHits', () => {
    const lists = [Array.from({ length: 50 }, (_, i) => ({ id: `a${i}`, _rankingScore: 1 - i / 100 }))];
    const res = mergeSearchResults({ offset: 30, limit: 30 }, responses(lists), { maxTotalHits: 40 });
    expect(res.hits).toHaveLength(10);
  });
});
