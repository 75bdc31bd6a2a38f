import { bestPerDocument, formatRustDuration, mergePerformanceDetails, mergeSimilar, parseRustDuration, removeHitsFromDistribution } from '@miroir/core';

// The smaller merges of the read path: performance details, similar documents, and facet counts
// after `federation.distinct` dropped hits.

describe('performance details', () => {
  it('reads and prints durations as Rust prints a Duration with two decimals', () => {
    expect(parseRustDuration('96.92µs')).toBeCloseTo(96_920);
    expect(parseRustDuration('1.07ms')).toBeCloseTo(1_070_000);
    expect(parseRustDuration('2.50s')).toBeCloseTo(2.5e9);
    expect(parseRustDuration('12ns')).toBe(12);
    expect(parseRustDuration('soon')).toBeNull();
    expect([formatRustDuration(500), formatRustDuration(96_920), formatRustDuration(1_070_000), formatRustDuration(2.5e9)]).toEqual(['500.00ns', '96.92µs', '1.07ms', '2.50s']);
  });

  it('keeps each step’s slowest node, in the nodes’ order, then Miroir’s steps', () => {
    const merged = mergePerformanceDetails([{ search: '1.00ms', 'search > format': '20.00µs' }, undefined, { 'search > evaluate filter': '5.00µs', search: '1.20ms' }], { 'miroir > merge results': 1500 });
    expect(merged).toEqual({ search: '1.20ms', 'search > format': '20.00µs', 'search > evaluate filter': '5.00µs', 'miroir > merge results': '1.50µs' });
    expect(Object.keys(merged)).toEqual(['search', 'search > format', 'search > evaluate filter', 'miroir > merge results']);
  });
});

describe('similar documents merge', () => {
  const h = (id: number, score: number): Record<string, unknown> => ({ id, _rankingScore: score, _miroir_shard: 3 });

  it('merges by score, cuts the page after the merge, sums and caps the total', () => {
    const merged = mergeSimilar(
      [
        { hits: [h(1, 0.9), h(2, 0.5)], estimatedTotalHits: 10, processingTimeMs: 2 },
        { hits: [h(3, 0.7), h(4, 0.6)], estimatedTotalHits: 15, processingTimeMs: 5 },
      ],
      { offset: 1, limit: 2, maxTotalHits: 20, showRankingScore: false, showRankingScoreDetails: false },
    );
    expect(merged).toEqual({ hits: [{ id: 3 }, { id: 4 }], estimatedTotalHits: 20, processingTimeMs: 5 });
  });

  it('keeps each document once, with its best score, when several embeddings were searched', () => {
    expect(bestPerDocument([[h(1, 0.4), h(2, 0.3)], [h(2, 0.8), h(1, 0.1)]], 'id').map((x) => [x['id'], x['_rankingScore']])).toEqual([
      [2, 0.8],
      [1, 0.4],
    ]);
  });
});

describe('facet counts without dropped hits', () => {
  it('takes one per value each dropped hit holds; a value reaching zero leaves', () => {
    const dist = { color: { Blue: 2, red: 1 }, size: { '10': 3 } };
    const out = removeHitsFromDistribution(dist, [{ color: 'blue', size: 10 }, { color: ['RED', 'blue'] }]);
    expect(out).toEqual({ color: {}, size: { '10': 2 } });
    expect(removeHitsFromDistribution(dist, [])).toBe(dist);
  });
});
