// The `filter` search parameter in both of its forms: a string, or an array whose elements are
// ANDed, each element being a string or an array of strings that are ORed. Mirrors Meilisearch's
// `parse_filter` / `Filter::from_array`: empty strings are dropped, a one-element OR is unwrapped,
// and anything else (numbers, objects, deeper arrays) is rejected with its JSON shown.

import type { FilterExpr } from './filter-ast';
import { FilterParseError } from './filter-error';
import { parseFilterString } from './filter-parser';

export type FilterInput = string | Array<string | string[]>;

function invalidType(expected: readonly string[], found: unknown): FilterParseError {
  return new FilterParseError(
    `Invalid syntax for the filter parameter: \`expected ${expected.join(', ')}, found: ${JSON.stringify(found)}\`.`,
  );
}

/**
 * Parses a filter parameter as received in a request body. `null`/`undefined` (parameter absent)
 * and filters that are empty after parsing give `null`. Throws `FilterParseError` with
 * Meilisearch's message otherwise.
 */
export function parseFilter(input: FilterInput | null | undefined): FilterExpr | null;
export function parseFilter(input: unknown): FilterExpr | null;
export function parseFilter(input: unknown): FilterExpr | null {
  if (input === null || input === undefined) return null;
  if (typeof input === 'string') return parseFilterString(input);
  if (!Array.isArray(input)) throw invalidType(['String', 'Array'], input);

  // Validate the shape first: Meilisearch rejects a wrongly typed element before parsing any string.
  for (const element of input as unknown[]) {
    if (typeof element === 'string') continue;
    if (!Array.isArray(element)) throw invalidType(['String', '[String]'], element);
    for (const inner of element as unknown[]) {
      if (typeof inner !== 'string') throw invalidType(['String'], inner);
    }
  }

  const ands: FilterExpr[] = [];
  for (const element of input as Array<string | string[]>) {
    if (typeof element === 'string') {
      const expr = parseFilterString(element);
      if (expr) ands.push(expr);
      continue;
    }
    const ors: FilterExpr[] = [];
    for (const rule of element) {
      const expr = parseFilterString(rule);
      if (expr) ors.push(expr);
    }
    if (ors.length === 1) ands.push(ors[0]!);
    else if (ors.length > 1) ands.push({ type: 'or', children: ors });
  }
  if (ands.length === 0) return null;
  return ands.length === 1 ? ands[0]! : { type: 'and', children: ands };
}
