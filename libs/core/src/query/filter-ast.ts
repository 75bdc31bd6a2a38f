// The filter AST. It follows filter-parser's `FilterCondition` closely (e.g. `a NOT IN [..]`,
// `a IS NOT NULL`, `a NOT EXISTS` are `not` nodes around the positive form, exactly as Meilisearch
// represents them) so that evaluation and error positions can mirror Meilisearch.

/** A token of the source filter: its decoded value and where it was written (for error messages). */
export interface Token {
  /** The value after quote removal and escape processing. */
  readonly value: string;
  /** The whole filter string the token comes from (each string of the array form is its own source). */
  readonly source: string;
  /** UTF-16 offsets of the token's text in `source` (inside the quotes for quoted tokens). */
  readonly start: number;
  readonly end: number;
}

export type ComparisonOperator = '=' | '!=' | '>' | '>=' | '<' | '<=';

export type FilterExpr =
  | { readonly type: 'and'; readonly children: readonly FilterExpr[] }
  | { readonly type: 'or'; readonly children: readonly FilterExpr[] }
  | { readonly type: 'not'; readonly child: FilterExpr }
  | { readonly type: 'compare'; readonly field: Token; readonly op: ComparisonOperator; readonly value: Token }
  | { readonly type: 'between'; readonly field: Token; readonly from: Token; readonly to: Token }
  | { readonly type: 'in'; readonly field: Token; readonly values: readonly Token[] }
  | { readonly type: 'exists'; readonly field: Token }
  | { readonly type: 'isNull'; readonly field: Token }
  | { readonly type: 'isEmpty'; readonly field: Token }
  | { readonly type: 'contains'; readonly field: Token; readonly value: Token }
  | { readonly type: 'startsWith'; readonly field: Token; readonly value: Token }
  | { readonly type: 'geoRadius'; readonly lat: Token; readonly lng: Token; readonly radius: Token }
  | {
      readonly type: 'geoBoundingBox';
      readonly topRight: readonly [Token, Token];
      readonly bottomLeft: readonly [Token, Token];
    };

export type FieldCondition = Extract<FilterExpr, { readonly field: Token }>;

export function isFieldCondition(expr: FilterExpr): expr is FieldCondition {
  return 'field' in expr;
}

/** Builds a token that does not come from parsed text (tests, programmatic filters). */
export function syntheticToken(value: string): Token {
  return { value, source: value, start: 0, end: value.length };
}
