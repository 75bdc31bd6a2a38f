// The `sort` search parameter: parsing, the sortable-attributes check, and Meilisearch's ordering
// of sort values, so that merging per-shard sorted hits gives the order one node would give.
//
// Ordering (milli's sort ranking rule: number facets are visited first, then string facets, then
// the documents with neither), for both directions:
//   1. documents with a numeric value, by number (ascending or descending);
//   2. then documents with a string value, by normalised string (trim, NFKD, lowercase) in byte
//      order — booleans are the strings "true"/"false";
//   3. then documents without a sortable value (missing field, null, "", objects, empty arrays).
// An array is visited once per value, so it sorts at its smallest value ascending and its largest
// value descending, numbers taking precedence over strings.

import { fieldValues } from './field-path';
import { geoPointOf, haversineMeters } from './filter-eval';
import { compareCodePoints, normalizeFacet } from './normalize';

export type SortDirection = 'asc' | 'desc';

export interface SortRule {
  readonly field: string;
  readonly direction: SortDirection;
  /** Set for `_geoPoint(lat, lng):asc|desc`; then `field` is `_geoPoint`. */
  readonly geoPoint?: readonly [number, number];
}

export class SortParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SortParseError';
  }
}

const RESERVED = new Set(['_geo', '_geoDistance', '_geoPoint', '_geoRadius', '_geoBoundingBox']);
const GEO_HINT = 'Use the _geoPoint(latitude, longitude) built-in rule to sort on _geo field coordinates.';

function reservedError(name: string): SortParseError {
  if (name.startsWith('_geoPoint')) {
    return new SortParseError(
      `Invalid syntax for the geo parameter: expected expression formated like \`_geoPoint(latitude, longitude)\` and ending by \`:asc\` or \`:desc\`, found \`${name}\`.`,
    );
  }
  if (name === '_geo') return new SortParseError(`\`${name}\` is a reserved keyword and thus can't be used as a sort expression. ${GEO_HINT}`);
  for (const geo of ['_geoRadius', '_geoBoundingBox']) {
    if (name.startsWith(geo)) {
      return new SortParseError(`\`${geo}\` is a reserved keyword and thus can't be used as a sort expression. ${GEO_HINT}`);
    }
  }
  return new SortParseError(`\`${name}\` is a reserved keyword and thus can't be used as a sort expression.`);
}

/** Rust `str::parse::<f64>` after `trim` (used by `_geoPoint(lat, lng)`). */
function parseCoordinate(text: string): number | null {
  const t = text.trim();
  if (!/^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i.test(t)) return null;
  return Number(/^[+-]?inf/i.test(t) ? (t.startsWith('-') ? '-Infinity' : 'Infinity') : t);
}

function parseOne(text: string): SortRule {
  const colon = text.lastIndexOf(':');
  const suffix = colon < 0 ? '' : text.slice(colon + 1);
  if (colon < 0 || (suffix !== 'asc' && suffix !== 'desc')) {
    throw new SortParseError(
      `Invalid syntax for the sort parameter: expected expression ending by \`:asc\` or \`:desc\`, found \`${text}\`.`,
    );
  }
  const member = text.slice(0, colon);
  const direction: SortDirection = suffix;
  if (member.startsWith('_geoPoint(') && member.endsWith(')')) {
    const inner = member.slice('_geoPoint('.length, -1);
    const comma = inner.indexOf(',');
    const lat = comma < 0 ? null : parseCoordinate(inner.slice(0, comma));
    const lng = comma < 0 ? null : parseCoordinate(inner.slice(comma + 1));
    if (lat === null || lng === null || Number.isNaN(lat) || Number.isNaN(lng)) throw reservedError(member);
    if (!(lat >= -90 && lat <= 90)) throw new SortParseError('Latitude must be contained between -90 and 90 degrees.');
    if (!(lng >= -180 && lng <= 180)) throw new SortParseError('Longitude must be contained between -180 and 180 degrees.');
    return { field: '_geoPoint', direction, geoPoint: [lat, lng] };
  }
  if (RESERVED.has(member) || member.startsWith('_geoRadius(') || member.startsWith('_geoBoundingBox(')) {
    throw reservedError(member);
  }
  return { field: member, direction };
}

/** Parses `["price:asc", "title:desc"]`; throws `SortParseError` (code `invalid_search_sort`). */
export function parseSortRules(sort: readonly string[]): SortRule[] {
  return sort.map(parseOne);
}

/**
 * Meilisearch's check that every sort field is sortable (a sortable attribute covers its nested
 * fields). `_geoPoint` sorts need `_geo` to be sortable.
 */
export function assertSortable(rules: readonly SortRule[], sortableAttributes: readonly string[]): void {
  for (const rule of rules) {
    const field = rule.geoPoint ? '_geo' : rule.field;
    const ok = sortableAttributes.some((a) => field === a || (field.startsWith(a) && field.charCodeAt(a.length) === 46));
    if (ok) continue;
    const valid = [...new Set(sortableAttributes)].sort(compareCodePoints);
    throw new SortParseError(
      valid.length === 0
        ? `Attribute \`${field}\` is not sortable. This index does not have configured sortable attributes.`
        : `Attribute \`${field}\` is not sortable. Available sortable attributes are: \`${valid.join(', ')}\`.`,
    );
  }
}

/** A value's place in the order: its bucket (0 numbers, 1 strings, 2 none) and its key. */
type SortKey = { readonly bucket: 0; readonly n: number } | { readonly bucket: 1; readonly s: string } | { readonly bucket: 2 };

function sortKey(value: unknown, direction: SortDirection): SortKey {
  const values = Array.isArray(value) ? flatten(value) : [value];
  let bestNumber: number | null = null;
  let bestString: string | null = null;
  for (const v of values) {
    if (typeof v === 'number' && Number.isFinite(v)) {
      if (bestNumber === null || (direction === 'asc' ? v < bestNumber : v > bestNumber)) bestNumber = v;
    } else if ((typeof v === 'string' && v !== '') || typeof v === 'boolean') {
      const s = typeof v === 'boolean' ? String(v) : normalizeFacet(v);
      if (bestString === null || (direction === 'asc' ? compareCodePoints(s, bestString) < 0 : compareCodePoints(s, bestString) > 0)) {
        bestString = s;
      }
    }
  }
  if (bestNumber !== null) return { bucket: 0, n: bestNumber === 0 ? 0 : bestNumber };
  if (bestString !== null) return { bucket: 1, s: bestString };
  return { bucket: 2 };
}

function flatten(values: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (Array.isArray(v)) out.push(...flatten(v));
    else out.push(v);
  }
  return out;
}

/**
 * Compares two sort values (a field's raw value or its list of values; `undefined` when missing)
 * in Meilisearch's order for `direction`. Negative when `a` comes first. A total preorder: values
 * that compare 0 are tied and the caller breaks the tie.
 */
export function compareSortValues(a: unknown, b: unknown, direction: SortDirection): number {
  const ka = sortKey(a, direction);
  const kb = sortKey(b, direction);
  if (ka.bucket !== kb.bucket) return ka.bucket - kb.bucket;
  const sign = direction === 'asc' ? 1 : -1;
  if (ka.bucket === 0 && kb.bucket === 0) return ka.n === kb.n ? 0 : ka.n < kb.n ? -sign : sign;
  if (ka.bucket === 1 && kb.bucket === 1) {
    const c = compareCodePoints(ka.s, kb.s);
    return c === 0 ? 0 : sign * c;
  }
  return 0;
}

function ruleValue(doc: Record<string, unknown>, rule: SortRule): unknown {
  if (rule.geoPoint) {
    const point = geoPointOf(doc);
    return point === null ? undefined : haversineMeters(rule.geoPoint, point);
  }
  return fieldValues(doc, rule.field);
}

/** Compares two documents by the sort rules in order; 0 when tied on all of them. */
export function compareDocsBySort(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  rules: readonly SortRule[],
): number {
  for (const rule of rules) {
    const c = compareSortValues(ruleValue(a, rule), ruleValue(b, rule), rule.direction);
    if (c !== 0) return c;
  }
  return 0;
}
