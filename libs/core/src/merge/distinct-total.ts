// The total of a search with `distinct` when the nodes' answers hold every matching document.
//
// Each node counts distinct values among its own documents, so summing the nodes' totals counts a
// value once per node holding it (docs/api-compatibility.md, distinct). But when every node
// returned fewer hits than it was asked for, the nodes' hits are all the matching documents (one
// per value and node), and deduplicating them across nodes gives the count one node holding
// everything reports: one per value, plus each document without a value.

import { firstOfEachValue } from './distinct';
import { nodePagination, paginationOf, type PaginationParams } from './pagination';
import type { Hit } from './ranking';

const scoreOf = (h: Hit): number => (typeof h['_rankingScore'] === 'number' ? h['_rankingScore'] : 0);

/**
 * The exact distinct total, or undefined when some node may hold more than it returned (then the
 * summed estimate stands). `maxTotalHits` caps the count as it caps a node's.
 */
export function exactDistinctTotal(params: PaginationParams, nodes: readonly { readonly hits: readonly Hit[] }[], attribute: string, maxTotalHits: number): number | undefined {
  const asked = nodePagination(paginationOf(params));
  const window = Math.min(asked['limit'] ?? asked['hitsPerPage'] ?? 0, maxTotalHits);
  if (nodes.some((n) => n.hits.length >= window)) return undefined;
  // Best ranked first, so a document with several values is kept or dropped as on one node.
  const all = nodes.flatMap((n) => n.hits).sort((a, b) => scoreOf(b) - scoreOf(a));
  const accept = firstOfEachValue(attribute);
  return Math.min(all.filter(accept).length, maxTotalHits);
}
