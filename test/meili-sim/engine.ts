// The only place the node process touches the search engine (test/meili-sim/search, helper D's).
export { createSearchEngine, DEFAULT_SETTINGS } from './search/index';
