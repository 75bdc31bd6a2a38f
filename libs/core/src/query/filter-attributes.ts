// Which attributes a filter reads, and Meilisearch's check that they are all filterable.

import type { FilterExpr, Token } from './filter-ast';
import { isFieldCondition } from './filter-ast';
import { tokenError } from './filter-error';
import { compareCodePoints } from './normalize';
import { matchesAttributePattern } from './field-path';

/** The name Meilisearch reports when a geo filter is used while `_geo` is not filterable. */
export const GEO_FIELD = '_geo';

/** Field tokens in the order Meilisearch checks them (depth-first, left to right; geo excluded). */
export function filterFieldTokens(expr: FilterExpr): Token[] {
  const out: Token[] = [];
  const visit = (e: FilterExpr): void => {
    if (e.type === 'and' || e.type === 'or') e.children.forEach(visit);
    else if (e.type === 'not') visit(e.child);
    else if (isFieldCondition(e)) out.push(e.field);
  };
  visit(expr);
  return out;
}

/** The distinct attributes a filter reads, in order of first use. Geo filters are not included. */
export function filterAttributes(expr: FilterExpr): string[] {
  return [...new Set(filterFieldTokens(expr).map((t) => t.value))];
}

/** The first token of each geo filter (where Meilisearch positions its `_geo` errors). */
export function geoFilterTokens(expr: FilterExpr): Token[] {
  const out: Token[] = [];
  const visit = (e: FilterExpr): void => {
    if (e.type === 'and' || e.type === 'or') e.children.forEach(visit);
    else if (e.type === 'not') visit(e.child);
    else if (e.type === 'geoRadius') out.push(e.lat);
    else if (e.type === 'geoBoundingBox') out.push(e.topRight[0]);
  };
  visit(expr);
  return out;
}

/** The `CONTAINS` / `STARTS WITH` usage that Meilisearch gates behind an experimental feature. */
export function usesContainsOperator(expr: FilterExpr): boolean {
  switch (expr.type) {
    case 'contains':
    case 'startsWith':
      return true;
    case 'and':
    case 'or':
      return expr.children.some(usesContainsOperator);
    case 'not':
      return usesContainsOperator(expr.child);
    default:
      return false;
  }
}

function notFilterable(attribute: string, token: Token, patterns: readonly string[]): Error {
  const unique = [...new Set(patterns)].sort(compareCodePoints);
  const suffix =
    unique.length === 0
      ? 'This index does not have configured filterable attributes.'
      : `Available filterable attribute patterns are: ${unique.map((p) => `\`${p}\``).join(', ')}.`;
  return tokenError(`Attribute \`${attribute}\` is not filterable. ${suffix}`, token);
}

export function isFilterable(attribute: string, filterableAttributes: readonly string[]): boolean {
  return filterableAttributes.some((pattern) => matchesAttributePattern(pattern, attribute));
}

/**
 * Throws `FilterParseError` with Meilisearch's message for an attribute of the filter that no
 * filterable attribute (or pattern) covers; geo filters need `_geo` to be filterable. Meilisearch
 * 1.50 names the last such condition in reading order (checked against the real binary:
 * `zz = 1 AND aa = 2` names `aa`, `a = 1 AND (b = 2 OR c = 3)` names `c`).
 * (Meilisearch checks geo filters while evaluating, so with an AND that already matched nothing it
 * can skip that error; this check is deliberately data-independent.)
 */
export function assertFilterable(expr: FilterExpr, filterableAttributes: readonly string[]): void {
  const leaves: Array<{ attribute: string; token: Token }> = [];
  const visit = (e: FilterExpr): void => {
    if (e.type === 'and' || e.type === 'or') e.children.forEach(visit);
    else if (e.type === 'not') visit(e.child);
    else if (e.type === 'geoRadius') leaves.push({ attribute: GEO_FIELD, token: e.lat });
    else if (e.type === 'geoBoundingBox') leaves.push({ attribute: GEO_FIELD, token: e.topRight[0] });
    else leaves.push({ attribute: e.field.value, token: e.field });
  };
  visit(expr);
  for (let i = leaves.length - 1; i >= 0; i--) {
    const { attribute, token } = leaves[i]!;
    if (!isFilterable(attribute, filterableAttributes)) throw notFilterable(attribute, token, filterableAttributes);
  }
}
