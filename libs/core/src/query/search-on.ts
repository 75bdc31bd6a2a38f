import { isReservedField } from '../reserved';

/** What the API knows of an index when it builds a node search. */
export interface SearchOnContext {
  /** The index's field paths seen by writes, or null when they are not tracked (see below). */
  readonly knownFields: readonly string[] | null;
  /** Whether the index's searchableAttributes is `["*"]` (every field searchable). */
  readonly searchableAll: boolean;
}

/**
 * The `attributesToSearchOn` to send to the nodes in place of the client's, or undefined to pass
 * the client's value (or its absence) through unchanged.
 *
 * With searchableAttributes `["*"]` a node searches every field, `_miroir_shard` included, so a
 * query for a number would match every document of that shard. The client's list — or, when it
 * gave none (or `*`), the index's known fields — is sent instead, reserved names removed. An
 * explicit searchableAttributes never holds a reserved name (the settings path drops them), so
 * nothing is added then; nor for a placeholder search, which matches no words. Untracked fields
 * (`knownFields` null: an index older than tracking or with too many fields, see IndexFields in
 * the API) and an empty list (no document written through Miroir yet: sending `[]` would match
 * nothing) keep the node's own behaviour.
 */
export function nodeAttributesToSearchOn(
  q: unknown,
  client: readonly string[] | null | undefined,
  ctx: SearchOnContext,
): string[] | undefined {
  const clientList = client ?? undefined;
  const wildcard = clientList === undefined || clientList.includes('*');
  if (!wildcard) return clientList.some(isReservedField) ? clientList.filter((a) => !isReservedField(a)) : undefined;
  if (!ctx.searchableAll || ctx.knownFields === null || ctx.knownFields.length === 0) return undefined;
  if (typeof q !== 'string' || q === '') return undefined;
  return [...ctx.knownFields];
}
