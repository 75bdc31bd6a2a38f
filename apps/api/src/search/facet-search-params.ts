import { readErrors } from './read-errors';
import { validateSearchBody, type SearchQuery } from './search-params';

// Edge validation of POST /indexes/{uid}/facet-search, as Meilisearch 1.50 reads its body: the
// facet fields, the search fields that select the documents counted (checked with search's codes
// and wording), and any other field ignored, as Meilisearch ignores it (the official clients send
// their whole search parameters type).

/** Search fields facet search takes, with the search route's validation and error codes. */
const SEARCH_PART = ['q', 'vector', 'media', 'hybrid', 'filter', 'matchingStrategy', 'attributesToSearchOn', 'rankingScoreThreshold', 'locales'] as const;

/** Fields only facet search has, or that it passes to the nodes unchecked (`useNetwork`). */
const FACET_PART = ['facetName', 'facetQuery', 'exhaustiveFacetCount', 'useNetwork'] as const;

export interface FacetSearchRequest {
  readonly facetName: string;
  readonly facetQuery: string | null;
  /** The fields selecting the documents (q, filter, …), as search reads them. */
  readonly search: SearchQuery;
  /** What every node is sent (before Miroir adds its shard restriction): the known fields only. */
  readonly nodeBody: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkFacetField(k: string, v: unknown): void {
  const path = `.${k}`;
  switch (k) {
    case 'facetName':
      if (typeof v !== 'string') throw readErrors.invalidType('invalid_facet_search_facet_name', path, 'a string', v);
      return;
    case 'facetQuery':
      if (v !== null && typeof v !== 'string') throw readErrors.invalidType('invalid_facet_search_query', path, 'a string', v);
      return;
    case 'exhaustiveFacetCount':
      if (v !== null && typeof v !== 'boolean') throw readErrors.invalidType('invalid_facet_search_exhaustive_facet_count', path, 'a boolean', v);
      return;
    default:
      return;
  }
}

/** Validates a facet-search body in field order (Meilisearch reports the first bad field it reads). */
export function validateFacetSearchBody(body: unknown): FacetSearchRequest {
  if (!isObject(body)) throw readErrors.invalidType('bad_request', '', 'an object', body);
  const search: Record<string, unknown> = {};
  const nodeBody: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if ((SEARCH_PART as readonly string[]).includes(k)) {
      Object.assign(search, validateSearchBody({ [k]: v }));
      nodeBody[k] = v;
    } else if ((FACET_PART as readonly string[]).includes(k)) {
      checkFacetField(k, v);
      nodeBody[k] = v;
    }
  }
  if (body['facetName'] === undefined) throw readErrors.missingField('missing_facet_search_facet_name', 'facetName');
  const facetQuery = typeof body['facetQuery'] === 'string' ? body['facetQuery'] : null;
  return { facetName: body['facetName'] as string, facetQuery, search: search as SearchQuery, nodeBody };
}
