// The filter language as one import: parsing (string and array forms), the filterable check,
// per-document evaluation and printing. See the individual modules for the Meilisearch rules each
// one reproduces.

export type { ComparisonOperator, FieldCondition, FilterExpr, Token } from './filter-ast';
export { isFieldCondition, syntheticToken } from './filter-ast';
export { FilterParseError } from './filter-error';
export type { FilterInput } from './filter-input';
export { parseFilter } from './filter-input';
export { parseFilterString } from './filter-parser';
export {
  assertFilterable,
  filterAttributes,
  filterFieldTokens,
  GEO_FIELD,
  geoFilterTokens,
  isFilterable,
  usesContainsOperator,
} from './filter-attributes';
export { geoPointOf, haversineMeters, matchesFilter } from './filter-eval';
export { printFilter, quoteFilterValue } from './filter-print';
