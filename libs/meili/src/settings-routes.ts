// Meilisearch's per-setting routes (/indexes/{uid}/settings/{route}): the setting's name in the
// settings object, its route segment, and the verb that updates it (PUT for most, PATCH for the
// object-valued ones). GET reads and DELETE resets every one of them.

export interface SettingRoute {
  /** Field of the settings object, e.g. `filterableAttributes`. */
  readonly name: string;
  /** Path segment, e.g. `filterable-attributes`. */
  readonly route: string;
  readonly updateMethod: 'PUT' | 'PATCH';
}

export const SETTINGS_SUB_ROUTES: readonly SettingRoute[] = Object.freeze([
  { name: 'displayedAttributes', route: 'displayed-attributes', updateMethod: 'PUT' },
  { name: 'searchableAttributes', route: 'searchable-attributes', updateMethod: 'PUT' },
  { name: 'filterableAttributes', route: 'filterable-attributes', updateMethod: 'PUT' },
  { name: 'sortableAttributes', route: 'sortable-attributes', updateMethod: 'PUT' },
  { name: 'rankingRules', route: 'ranking-rules', updateMethod: 'PUT' },
  { name: 'stopWords', route: 'stop-words', updateMethod: 'PUT' },
  { name: 'nonSeparatorTokens', route: 'non-separator-tokens', updateMethod: 'PUT' },
  { name: 'separatorTokens', route: 'separator-tokens', updateMethod: 'PUT' },
  { name: 'dictionary', route: 'dictionary', updateMethod: 'PUT' },
  { name: 'synonyms', route: 'synonyms', updateMethod: 'PUT' },
  { name: 'distinctAttribute', route: 'distinct-attribute', updateMethod: 'PUT' },
  { name: 'proximityPrecision', route: 'proximity-precision', updateMethod: 'PUT' },
  { name: 'typoTolerance', route: 'typo-tolerance', updateMethod: 'PATCH' },
  { name: 'faceting', route: 'faceting', updateMethod: 'PATCH' },
  { name: 'pagination', route: 'pagination', updateMethod: 'PATCH' },
  { name: 'embedders', route: 'embedders', updateMethod: 'PATCH' },
  { name: 'searchCutoffMs', route: 'search-cutoff-ms', updateMethod: 'PUT' },
  { name: 'localizedAttributes', route: 'localized-attributes', updateMethod: 'PUT' },
  { name: 'facetSearch', route: 'facet-search', updateMethod: 'PUT' },
  { name: 'prefixSearch', route: 'prefix-search', updateMethod: 'PUT' },
] as const satisfies readonly SettingRoute[]);

const BY_ROUTE = new Map(SETTINGS_SUB_ROUTES.map((r) => [r.route, r]));
const BY_NAME = new Map(SETTINGS_SUB_ROUTES.map((r) => [r.name, r]));

/** Looks a setting up by route segment (`stop-words`) or by name (`stopWords`). */
export function settingRoute(routeOrName: string): SettingRoute | undefined {
  return BY_ROUTE.get(routeOrName) ?? BY_NAME.get(routeOrName);
}
