// Evaluates a filter against one document with Meilisearch's semantics (milli's `Filter::evaluate`
// restated per document):
// - a field's facet values are its leaves (arrays expanded, nested paths walked); a condition on a
//   field matches when ANY value matches;
// - strings are compared in their normalised facet form (trim, NFKD, lowercase); booleans are the
//   strings "true"/"false"; empty strings are not facet values;
// - `=` matches a string facet equal to the normalised value, or a number equal to the value parsed
//   as a float (so `10` matches 10, 10.0 and "10", but "10.0" only matches the number);
// - `>`, `>=`, `<`, `<=`, `TO` compare numbers numerically when the value parses as a number, and
//   string facets against the raw (un-normalised) value in byte order, as milli's `evaluate_operator`
//   ranges over both facet databases;
// - `!=` and `NOT …` are complements over all documents, so documents without the field match them;
// - `EXISTS` is true for any present field, null included; `IS NULL` for a null value; `IS EMPTY`
//   for "", [] or {}.

import type { FilterExpr, Token } from './filter-ast';
import { fieldOccurrences, fieldValues } from './field-path';
import { compareCodePoints, normalizeFacet, parseFiniteFloat } from './normalize';

type Doc = Record<string, unknown>;

interface Facets {
  readonly numbers: number[];
  readonly strings: string[];
}

function facetsOf(doc: Doc, field: string): Facets {
  const numbers: number[] = [];
  const strings: string[] = [];
  for (const value of fieldValues(doc, field)) {
    if (typeof value === 'number') {
      if (Number.isFinite(value)) numbers.push(value);
    } else if (typeof value === 'string') {
      if (value !== '') strings.push(normalizeFacet(value));
    } else if (typeof value === 'boolean') {
      strings.push(value ? 'true' : 'false');
    }
  }
  return { numbers, strings };
}

function equals(facets: Facets, value: Token): boolean {
  const normalized = normalizeFacet(value.value);
  if (facets.strings.includes(normalized)) return true;
  const number = parseFiniteFloat(value.value);
  return number !== null && facets.numbers.includes(number);
}

type Bound = { readonly inclusive: boolean; readonly value: string } | null;

function inRange(
  facets: Facets,
  low: Bound,
  high: Bound,
  lowNumber: { inclusive: boolean; value: number } | null,
  highNumber: { inclusive: boolean; value: number } | null,
  numbersApply: boolean,
): boolean {
  if (numbersApply) {
    for (const n of facets.numbers) {
      const aboveLow = lowNumber === null || (lowNumber.inclusive ? n >= lowNumber.value : n > lowNumber.value);
      const belowHigh = highNumber === null || (highNumber.inclusive ? n <= highNumber.value : n < highNumber.value);
      if (aboveLow && belowHigh) return true;
    }
  }
  for (const s of facets.strings) {
    const aboveLow = low === null || (low.inclusive ? compareCodePoints(s, low.value) >= 0 : compareCodePoints(s, low.value) > 0);
    const belowHigh = high === null || (high.inclusive ? compareCodePoints(s, high.value) <= 0 : compareCodePoints(s, high.value) < 0);
    if (aboveLow && belowHigh) return true;
  }
  return false;
}

function compare(facets: Facets, op: '>' | '>=' | '<' | '<=', value: Token): boolean {
  const n = parseFiniteFloat(value.value);
  const inclusive = op === '>=' || op === '<=';
  const bound = { inclusive, value: value.value };
  if (op === '>' || op === '>=') {
    return inRange(facets, bound, null, n === null ? null : { inclusive, value: n }, null, n !== null);
  }
  return inRange(facets, null, bound, null, n === null ? null : { inclusive, value: n }, n !== null);
}

function between(facets: Facets, from: Token, to: Token): boolean {
  const a = parseFiniteFloat(from.value);
  const b = parseFiniteFloat(to.value);
  const numbersApply = a !== null && b !== null && a <= b;
  const stringsApply = compareCodePoints(from.value, to.value) <= 0;
  const stringFacets = stringsApply ? facets : { numbers: facets.numbers, strings: [] };
  return inRange(
    stringFacets,
    { inclusive: true, value: from.value },
    { inclusive: true, value: to.value },
    a === null ? null : { inclusive: true, value: a },
    b === null ? null : { inclusive: true, value: b },
    numbersApply,
  );
}

function isEmptyValue(value: unknown): boolean {
  if (value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

const EARTH_RADIUS_METERS = 6_371_008.8;

function toRadians(deg: number): number {
  return (deg * Math.PI) / 180;
}

/** Great-circle distance in meters (haversine), as Meilisearch's geo filters and geo sort use. */
export function haversineMeters(a: readonly [number, number], b: readonly [number, number], radiusMeters = EARTH_RADIUS_METERS): number {
  const dLat = toRadians(b[0] - a[0]);
  const dLng = toRadians(b[1] - a[1]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a[0])) * Math.cos(toRadians(b[0])) * Math.sin(dLng / 2) ** 2;
  return 2 * radiusMeters * Math.asin(Math.min(1, Math.sqrt(h)));
}

function coordinate(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return parseFiniteFloat(value.trim());
  return null;
}

/** The document's `_geo` point, if it has a valid one. */
export function geoPointOf(doc: Doc): [number, number] | null {
  const geo = doc['_geo'];
  if (typeof geo !== 'object' || geo === null || Array.isArray(geo)) return null;
  const lat = coordinate((geo as Record<string, unknown>)['lat']);
  const lng = coordinate((geo as Record<string, unknown>)['lng']);
  return lat === null || lng === null ? null : [lat, lng];
}

function num(token: Token): number {
  return parseFiniteFloat(token.value) ?? Number.NaN;
}

export function matchesFilter(expr: FilterExpr, doc: Doc): boolean {
  switch (expr.type) {
    case 'and':
      return expr.children.every((child) => matchesFilter(child, doc));
    case 'or':
      return expr.children.some((child) => matchesFilter(child, doc));
    case 'not':
      return !matchesFilter(expr.child, doc);
    case 'compare': {
      const facets = facetsOf(doc, expr.field.value);
      switch (expr.op) {
        case '=':
          return equals(facets, expr.value);
        case '!=':
          return !equals(facets, expr.value);
        default:
          return compare(facets, expr.op, expr.value);
      }
    }
    case 'between':
      return between(facetsOf(doc, expr.field.value), expr.from, expr.to);
    case 'in': {
      const facets = facetsOf(doc, expr.field.value);
      return expr.values.some((v) => equals(facets, v));
    }
    case 'exists':
      return fieldOccurrences(doc, expr.field.value).length > 0;
    case 'isNull':
      return fieldOccurrences(doc, expr.field.value).some((v) => v === null);
    case 'isEmpty':
      return fieldOccurrences(doc, expr.field.value).some(isEmptyValue);
    case 'contains': {
      const needle = normalizeFacet(expr.value.value);
      return facetsOf(doc, expr.field.value).strings.some((s) => s.includes(needle));
    }
    case 'startsWith': {
      const prefix = normalizeFacet(expr.value.value);
      return facetsOf(doc, expr.field.value).strings.some((s) => s.startsWith(prefix));
    }
    case 'geoRadius': {
      const point = geoPointOf(doc);
      if (point === null) return false;
      return haversineMeters([num(expr.lat), num(expr.lng)], point) <= num(expr.radius) + Number.EPSILON;
    }
    case 'geoBoundingBox': {
      const point = geoPointOf(doc);
      if (point === null) return false;
      const [topLat, topLng] = [num(expr.topRight[0]), num(expr.topRight[1])];
      const [bottomLat, bottomLng] = [num(expr.bottomLeft[0]), num(expr.bottomLeft[1])];
      const [lat, lng] = point;
      if (lat < bottomLat || lat > topLat) return false;
      // A box whose right edge is west of its left edge wraps around the antimeridian.
      return topLng < bottomLng ? lng >= bottomLng || lng <= topLng : lng >= bottomLng && lng <= topLng;
    }
  }
}
