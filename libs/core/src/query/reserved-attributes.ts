// docs/design.md#reserved-attributes: reserved fields are invisible to clients. The nodes keep `_miroir_shard` filterable
// (Miroir's own shard filters need it), so left alone they would accept a client's filter, facet or
// distinct on it, and name it in their "available filterable attributes" lists. The API checks the
// client's parameters against the attributes the client can see, answering exactly what
// Meilisearch answers for an attribute that is not filterable, and removes reserved names from the
// lists in node messages it forwards.

import { isReservedField } from '../reserved';
import { isFilterable, assertFilterable, filterFieldTokens } from './filter-attributes';
import type { FilterExpr } from './filter-ast';
import { FilterParseError } from './filter-error';
import { parseFilter } from './filter-input';
import { printFilter } from './filter-print';
import { compareCodePoints } from './normalize';

/**
 * The filterable attribute patterns a client sees, from a node's `filterableAttributes` setting:
 * plain strings, or (Meilisearch ≥ 1.14) objects whose `attributePatterns` list them; reserved
 * names removed.
 */
export function visibleFilterablePatterns(setting: unknown): string[] {
  if (!Array.isArray(setting)) return [];
  const out: string[] = [];
  for (const entry of setting as unknown[]) {
    if (typeof entry === 'string') out.push(entry);
    else if (typeof entry === 'object' && entry !== null && Array.isArray((entry as { attributePatterns?: unknown }).attributePatterns)) {
      for (const p of (entry as { attributePatterns: unknown[] }).attributePatterns) if (typeof p === 'string') out.push(p);
    }
  }
  return out.filter((p) => !isReservedField(p));
}

/** The parsed filter when it reads a reserved attribute; null when it reads none or does not parse. */
function reservedFilter(filter: unknown): FilterExpr | null {
  let expr: FilterExpr | null;
  try {
    expr = parseFilter(filter);
  } catch {
    return null; // the node answers with the syntax error
  }
  return expr !== null && filterFieldTokens(expr).some((t) => isReservedField(t.value)) ? expr : null;
}

/** Whether a client filter reads a reserved attribute (cheap: no settings needed to tell). */
export function readsReservedAttribute(filter: unknown): boolean {
  return reservedFilter(filter) !== null;
}

/**
 * Where a filter was sent, which decides how Meilisearch 1.50 words its errors: a search names the
 * index and echoes the filter as it re-prints it after parsing; a delete by filter (a task error)
 * names the index and echoes the filter as written; a documents listing or fetch echoes it as
 * written with no index name.
 */
export type FilterRoute = { kind: 'search'; indexUid: string } | { kind: 'deleteByFilter'; indexUid: string } | { kind: 'documents' };

/**
 * Meilisearch's not-filterable error for a client filter that reads a reserved attribute (checked
 * against `visible`, so another attribute the client cannot filter on is named when Meilisearch
 * would name it: the last one in reading order); undefined when the filter reads none or does not
 * parse (the node then answers with the syntax error).
 */
export function reservedFilterError(filter: unknown, visible: readonly string[], route: FilterRoute = { kind: 'documents' }): FilterParseError | undefined {
  let expr = reservedFilter(filter);
  if (expr === null) return undefined;
  // Re-parsing the printed form gives tokens positioned in the text Meilisearch echoes.
  if (route.kind === 'search') expr = parseFilter(printFilter(expr))!;
  try {
    assertFilterable(expr, visible);
  } catch (err) {
    if (!(err instanceof FilterParseError)) throw err;
    return route.kind === 'documents' ? err : new FilterParseError(inIndex(route.indexUid, err.message));
  }
  return undefined;
}

function availablePatterns(filterable: readonly string[]): string {
  const valid = [...new Set(filterable)].sort(compareCodePoints);
  return valid.length === 0 ? 'This index does not have configured filterable attributes.' : `Available filterable attributes patterns are: \`${valid.join(', ')}\`.`;
}

/** Meilisearch's `invalid_search_facets` message: it names the first facet that is not filterable. */
export function facetsNotFilterableMessage(invalid: readonly string[], filterable: readonly string[]): string {
  return `Invalid facet distribution: Pattern \`${invalid[0] ?? ''}\` is not filterable. ${availablePatterns(filterable)}`;
}

/** The `invalid_search_facets` message when a client asks for a reserved facet, else undefined. */
export function reservedFacetsError(facets: unknown, visible: readonly string[]): string | undefined {
  if (!Array.isArray(facets)) return undefined;
  const names = (facets as unknown[]).filter((f): f is string => typeof f === 'string');
  if (!names.some(isReservedField)) return undefined;
  return facetsNotFilterableMessage(
    names.filter((f) => f !== '*' && !isFilterable(f, visible)),
    visible,
  );
}

/**
 * Meilisearch's `invalid_search_distinct` message for a distinct attribute that is not filterable
 * (a search answers it prefixed with the index, see `inIndex`).
 */
export function distinctNotFilterableMessage(attribute: string, filterable: readonly string[]): string {
  return `Attribute \`${attribute}\` is not filterable and thus, cannot be used as distinct attribute. ${availablePatterns(filterable)}`;
}

/** Meilisearch 1.50 prefixes the errors a search (and a delete by filter) raises about an index's data with its uid. */
export function inIndex(indexUid: string, message: string): string {
  return `Index \`${indexUid}\`: ${message}`;
}

const NONE = '\u0000';
const AVAILABLE = /[Aa]vailable filterable/;

/**
 * A node's error message with reserved names removed from its lists of available attributes, in
 * both of Meilisearch's list styles (`` `a`, `b` `` and `` `a, b` ``); a list left empty becomes
 * Meilisearch's "does not have configured filterable attributes" wording. Only the text after
 * "available filterable" and before the first line break is touched: the attribute the message is
 * about, and the filter echoed on the second line, are the client's own words.
 */
export function hideReservedAttributeNames(message: string): string {
  const at = message.search(AVAILABLE);
  if (at < 0 || !message.includes('_miroir_')) return message;
  const lineEnd = message.indexOf('\n', at);
  const head = message.slice(0, at);
  let list = lineEnd < 0 ? message.slice(at) : message.slice(at, lineEnd);
  const tail = lineEnd < 0 ? '' : message.slice(lineEnd);
  let left = 0;
  list = list.replace(/`([^`\n]*)`/g, (_m, inner: string) => {
    const kept = inner.split(', ').filter((name) => !isReservedField(name));
    left += kept.length;
    return kept.length === 0 ? NONE : `\`${kept.join(', ')}\``;
  });
  list = list.split(`${NONE}, `).join('').split(`, ${NONE}`).join('');
  if (left === 0) {
    return `${head}This index does not have configured filterable attributes.${tail}`;
  }
  return `${head}${list.split(NONE).join('')}${tail}`;
}
