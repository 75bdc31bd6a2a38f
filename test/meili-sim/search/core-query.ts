// The shared query semantics from libs/core (filter language, sort order, field paths), gathered in
// one place: the engine must not grow a second filter parser or sort comparator.

export {
  assertFilterable,
  assertSortable,
  compareCodePoints,
  compareSortValues,
  distinctNotFilterableMessage,
  facetsNotFilterableMessage,
  inIndex,
  fieldValues,
  FilterParseError,
  geoPointOf,
  haversineMeters,
  isFieldPathUnder,
  isFilterable,
  matchesFilter,
  normalizeFacet,
  parseFilter,
  parseSortRules,
  printFilter,
  SortParseError,
} from '@miroir/core/query';
export type { FilterExpr, SortDirection, SortRule } from '@miroir/core/query';
