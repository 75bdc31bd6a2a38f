import { exactDistinctTotal } from '@miroir/core';

// A distinct search's total when every node returned fewer hits than it was asked for: the nodes'
// hits are all the matching documents, so deduplicating them across nodes is the exact count.

const hit = (color: unknown, score = 1): Record<string, unknown> => ({ color, _rankingScore: score });

describe('exactDistinctTotal', () => {
  it('counts each value once across nodes, and every document without one', () => {
    const nodes = [{ hits: [hit('red'), hit('blue'), hit(undefined)] }, { hits: [hit('Red', 0.5), hit('green')] }];
    expect(exactDistinctTotal({ limit: 20 }, nodes, 'color', 1000)).toBe(4);
  });

  it('gives up when a node may hold more than it returned', () => {
    const nodes = [{ hits: [hit('red'), hit('blue')] }, { hits: [hit('green')] }];
    expect(exactDistinctTotal({ limit: 2 }, nodes, 'color', 1000)).toBeUndefined();
    expect(exactDistinctTotal({ offset: 1, limit: 1 }, nodes, 'color', 1000)).toBeUndefined();
    expect(exactDistinctTotal({ page: 1, hitsPerPage: 3 }, nodes, 'color', 1000)).toBe(3);
    expect(exactDistinctTotal({ limit: 20 }, nodes, 'color', 2)).toBeUndefined();
  });
});
