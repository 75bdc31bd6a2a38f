// Meilisearch's `fuse_filters`: how a tenant token's rule filter is ANDed with the client's filter
// (docs/api-compatibility.md, tenant tokens). Both sides are either absent (undefined or null), a
// string, or the array form; an array contributes its elements, anything else contributes itself,
// and the client's part comes first. The result is never re-parsed here: a node judges it, so an
// error in either side reads as a single Meilisearch would print it.

const absent = (f: unknown): boolean => f === undefined || f === null;

/** `left AND right`, in Meilisearch's array form; either side alone when the other is absent. */
export function fuseFilters(left: unknown, right: unknown): unknown {
  if (absent(right)) return left;
  if (absent(left)) return right;
  const l = Array.isArray(left) ? left : [left];
  const r = Array.isArray(right) ? right : [right];
  return [...l, ...r];
}
