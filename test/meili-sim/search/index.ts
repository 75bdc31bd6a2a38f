// The dev node's search engine: an in-memory, per-index engine that ranks like Meilisearch.
// See engine.ts for why it is hand-written and types.ts for the contract with the HTTP layer.

import { DEFAULT_SETTINGS } from './defaults';
import { MeiliSearchEngine } from './engine';
import type { IndexSettings, SearchEngine } from './types';

export { DEFAULT_SETTINGS };
export type { Doc, IndexSettings, SearchEngine, SearchParams, SearchResponse } from './types';

export function createSearchEngine(settings: IndexSettings): SearchEngine {
  return new MeiliSearchEngine(settings);
}
