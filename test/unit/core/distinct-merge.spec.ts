import fc from 'fast-check';
import { Hit, NodeSearchResponse, distinctOptions, mergeSearchResults, nodeSearchParams, withoutField } from '@miroir/core';

/** One node's answer to a distinct search: its own documents by score, one per value, the top `window`. */
function nodeAnswer(docs: Hit[], attribute: string, window: number): NodeSearchResponse {
  const seen = new Set<unknown>();
  const hits = [...docs]
    .sort((a, b) => (b['_rankingScore'] as number) - (a['_rankingScore'] as number))
    .filter((d) => {
      const v = d[attribute];
      if (v === undefined) return true;
      if (seen.has(v)) return false;
      seen.add(v);
      return true;
    });
  return { hits: hits.slice(0, window), estimatedTotalHits: hits.length, processingTimeMs: 1 };
}

// Unique scores (no ties), values from a small set so documents share them across nodes; some
// documents have no value at all (they are never deduplicated, as on a node).
const corpus = fc
  .uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 80 })
  .chain((scores) =>
    fc.tuple(
      fc.constant(scores),
      fc.array(fc.option(fc.constantFrom('red', 'green', 'blue', 'cyan', 'pink', 'gold', 'grey'), { nil: undefined }), { minLength: scores.length, maxLength: scores.length }),
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: scores.length, maxLength: scores.length }),
    ),
  );

describe('distinct across shards', () => {
  it("merging nodes' distinct top lists with distinct gives the top of one node holding everything", () => {
    fc.assert(
      fc.property(corpus, fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 20 }), ([scores, colors, placement], offset, limit) => {
        const docs: Hit[] = scores.map((s, i) => ({ id: i, _rankingScore: s / 1_000_000, ...(colors[i] !== undefined ? { color: colors[i] } : {}) }));
        const nodes = [0, 1, 2, 3, 4].map((n) => docs.filter((_, i) => placement[i] === n));
        const window = offset + limit;
        const merged = mergeSearchResults({ offset, limit }, nodes.map((d) => nodeAnswer(d, 'color', window)), { distinct: { attribute: 'color', hide: false } });
        const reference = nodeAnswer(docs, 'color', window).hits.slice(offset, window);
        expect(merged.hits.map((h) => h['id'])).toEqual(reference.map((h) => h['id']));
      }),
    );
  });

  it("asks the nodes for the attribute when the client's attributesToRetrieve leaves it out, and hides it after", () => {
    const d = distinctOptions('meta.sku', ['id', 'title']);
    expect(d).toEqual({ attribute: 'meta.sku', hide: true });
    expect(nodeSearchParams({ q: 'x', attributesToRetrieve: ['id', 'title'] }, d)['attributesToRetrieve']).toEqual(['id', 'title', 'meta.sku']);
    expect(distinctOptions('meta.sku', ['id', 'meta'])).toEqual({ attribute: 'meta.sku', hide: false });
    expect(distinctOptions('sku', ['*'])).toEqual({ attribute: 'sku', hide: false });
    expect(distinctOptions('sku', undefined)).toEqual({ attribute: 'sku', hide: false });
    expect(distinctOptions(null, ['id'])).toBeUndefined();

    const nodes: NodeSearchResponse[] = [
      { hits: [{ id: 1, meta: { sku: 'a', n: 1 }, _rankingScore: 0.9, _formatted: { id: '1', meta: { sku: 'a', n: '1' } } }] },
      { hits: [{ id: 2, meta: { sku: 'a', n: 2 }, _rankingScore: 0.8 }, { id: 3, meta: { sku: 'b' }, _rankingScore: 0.7 }] },
    ];
    const merged = mergeSearchResults({ attributesToRetrieve: ['id', 'meta.n'] }, nodes, { distinct: { attribute: 'meta.sku', hide: true } });
    expect(merged.hits).toEqual([
      { id: 1, meta: { n: 1 }, _formatted: { id: '1', meta: { n: '1' } } },
      { id: 3, meta: {} },
    ]);
  });

  it('withoutField removes a dotted path inside objects and arrays of objects, keeping key order', () => {
    const hit = { a: 1, b: { c: 2, d: 3 }, e: [{ c: 1, x: 2 }, 'plain'] };
    expect(Object.keys(withoutField(hit, 'a'))).toEqual(['b', 'e']);
    expect(withoutField(hit, 'b.c')).toEqual({ a: 1, b: { d: 3 }, e: [{ c: 1, x: 2 }, 'plain'] });
    expect(Object.keys(withoutField(hit, 'b.c'))).toEqual(['a', 'b', 'e']);
    expect(withoutField(hit, 'e.c')).toEqual({ a: 1, b: { c: 2, d: 3 }, e: [{ x: 2 }, 'plain'] });
    expect(withoutField(hit, 'zz')).toBe(hit);
  });
});
