// Which group and replicas answer a read. Hits that tie (equal scores: every hit of a placeholder
// search, or of a query matching many documents the same way) are ordered by node, then by each
// node's own order — an order that depends on which replicas answered. Round robin per request
// would let page 2 of a query come from other replicas than page 1, and ties would repeat or go
// missing across pages. So a read is routed by a hash of its parameters without the pagination:
// every page of one logical query reaches the same group and the same replicas (while node health
// is unchanged), and distinct queries still spread evenly over groups and replicas.

const PAGINATION = new Set(['offset', 'limit', 'page', 'hitsPerPage']);

/** Stable JSON (object keys sorted), so equal parameters hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** FNV-1a, 32 bits: fast and well spread for this purpose (not a security boundary). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The routing number of a read: equal for every page of the same query on the same index. */
export function queryAffinity(indexUid: string, params: object): number {
  const unpaged: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (!PAGINATION.has(k)) unpaged[k] = v;
  return fnv1a(`${indexUid}\u0000${canonical(unpaged)}`);
}
