import { distinctNotFilterableMessage, inIndex, isReservedField, readsReservedAttribute, reservedFacetsError, reservedFilterError, type FilterRoute } from '@miroir/core';
import { MeiliError } from '../errors/meili-error';

// Client parameters that name a reserved attribute (docs/design.md#reserved-attributes) are answered as Meilisearch answers
// an attribute that is not filterable, listing what the client can filter on: the nodes would
// accept them, because `_miroir_shard` is filterable there for Miroir's own shard filters.

/**
 * Refuses a filter reading a reserved attribute, with the route's filter error code and wording;
 * the client's filterable attributes (for the message) are read only then.
 */
export async function assertNoReservedFilter(
  filter: unknown,
  visible: () => Promise<readonly string[]>,
  code: 'invalid_search_filter' | 'invalid_document_filter',
  route: FilterRoute,
): Promise<void> {
  if (!readsReservedAttribute(filter)) return;
  throwIfReserved(filter, await visible(), code, route);
}

function throwIfReserved(filter: unknown, visible: readonly string[], code: 'invalid_search_filter' | 'invalid_document_filter', route: FilterRoute): void {
  const err = reservedFilterError(filter, visible, route);
  if (err) throw new MeiliError(code, err.message);
}

/** Refuses search parameters naming a reserved attribute as filter, facet or distinct attribute. */
export function assertNoReservedSearchAttributes(
  indexUid: string,
  params: { filter?: unknown; facets?: unknown; distinct?: unknown },
  visible: readonly string[],
): void {
  throwIfReserved(params.filter, visible, 'invalid_search_filter', { kind: 'search', indexUid });
  const facets = reservedFacetsError(params.facets, visible);
  if (facets !== undefined) throw new MeiliError('invalid_search_facets', facets);
  if (typeof params.distinct === 'string' && isReservedField(params.distinct)) {
    throw new MeiliError('invalid_search_distinct', inIndex(indexUid, distinctNotFilterableMessage(params.distinct, visible)));
  }
}
