// Meilisearch addresses nested fields with dotted paths over a *flattened* view of the document:
// `a.b` is the key literally named "a.b" as well as `{a: {b: …}}`, and arrays of objects are walked
// through (`{a: [{b: 1}, {b: 2}]}` gives `a.b` the values [1, 2]). These helpers reproduce that view
// without materialising the flattened document.

type JsonObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every raw value reachable at `path`, walking through intermediate arrays but NOT expanding the
 * value found at the end of the path (so `[]`, `{}` and `null` leaves are visible as such, which
 * `IS EMPTY` / `IS NULL` / `EXISTS` need).
 */
export function fieldOccurrences(doc: JsonObject, path: string): unknown[] {
  const out: unknown[] = [];
  walkObject(doc, path, out);
  return out;
}

function walkObject(obj: JsonObject, path: string, out: unknown[]): void {
  for (const key of Object.keys(obj)) {
    if (key === path) {
      out.push(obj[key]);
    } else if (path.length > key.length && path.startsWith(key) && path.charCodeAt(key.length) === 46 /* . */) {
      walkValue(obj[key], path.slice(key.length + 1), out);
    }
  }
}

function walkValue(value: unknown, rest: string, out: unknown[]): void {
  if (Array.isArray(value)) {
    for (const item of value) walkValue(item, rest, out);
  } else if (isPlainObject(value)) {
    walkObject(value, rest, out);
  }
}

/**
 * The leaf values of `path` as Meilisearch's facet extraction sees them: arrays (at any depth)
 * contribute their elements; objects and nulls are returned as they are for the caller to judge.
 * `[]` when the document has no such field.
 */
export function fieldValues(doc: JsonObject, path: string): unknown[] {
  const out: unknown[] = [];
  for (const occurrence of fieldOccurrences(doc, path)) pushExpanded(occurrence, out);
  return out;
}

function pushExpanded(value: unknown, out: unknown[]): void {
  if (Array.isArray(value)) {
    for (const item of value) pushExpanded(item, out);
  } else {
    out.push(value);
  }
}

/**
 * Whether `path` is `attribute` itself or a field nested under it: declaring "a" filterable (or
 * sortable, or searchable) covers "a.b" but not "ab". Mirrors milli's `is_faceted_by`.
 */
export function isFieldPathUnder(path: string, attribute: string): boolean {
  return path === attribute || (path.startsWith(attribute) && path.charCodeAt(attribute.length) === 46);
}

/**
 * Meilisearch attribute patterns (filterableAttributes since v1.14 accepts them): `*` alone matches
 * everything, `*x*` contains, `*x` suffix, `x*` prefix; a plain name matches itself and every field
 * nested under it.
 */
export function matchesAttributePattern(pattern: string, path: string): boolean {
  if (pattern === '*') return true;
  const starts = pattern.startsWith('*');
  const ends = pattern.endsWith('*');
  if (starts && ends && pattern.length >= 2) return path.includes(pattern.slice(1, -1));
  if (starts) return path.endsWith(pattern.slice(1));
  if (ends) return path.startsWith(pattern.slice(0, -1));
  return isFieldPathUnder(path, pattern);
}
