/**
 * Merges lists that are each already in order into the first `limit` items of their union, taking
 * from the earliest list on ties so the result is deterministic (list order, then position).
 * A linear scan of the heads beats a heap for the handful of lists a search fans out to.
 */
export function kWayMerge<T>(
  lists: readonly (readonly T[])[],
  compare: (a: T, b: T) => number,
  limit: number,
  /** Items it refuses are skipped (not counted towards `limit`): how distinct drops repeats. */
  accept?: (item: T) => boolean,
): T[] {
  const heads = lists.map(() => 0);
  const out: T[] = [];
  while (out.length < limit) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      if (heads[i]! >= lists[i]!.length) continue;
      if (best < 0 || compare(lists[i]![heads[i]!]!, lists[best]![heads[best]!]!) < 0) best = i;
    }
    if (best < 0) break;
    const item = lists[best]![heads[best]!]!;
    heads[best]!++;
    if (accept === undefined || accept(item)) out.push(item);
  }
  return out;
}
