// Value normalisation shared by the filter evaluator, the sort comparator and the PK planner.

/**
 * milli's `normalize_facet`: trim, NFKD (compatibility decomposition), lowercase. Facet strings are
 * stored in this form, so `=`, `IN`, `CONTAINS`, `STARTS WITH` and sorting all see it. Accents are
 * decomposed, not removed.
 */
export function normalizeFacet(original: string): string {
  return trimRust(original).normalize('NFKD').toLowerCase();
}

const WHITE_SPACE = /\p{White_Space}/u;

/** Unicode White_Space, which is what Rust's `char::is_whitespace` tests (JS `\s` differs). */
export function isRustWhitespace(ch: string): boolean {
  return WHITE_SPACE.test(ch);
}

/** Rust's `str::trim` (Unicode White_Space on both ends). */
export function trimRust(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isRustWhitespace(s[start]!)) start++;
  while (end > start && isRustWhitespace(s[end - 1]!)) end--;
  return s.slice(start, end);
}

/**
 * Compares strings by Unicode code point, which is the byte order of their UTF-8 encodings (LMDB
 * keys in Meilisearch). Plain `<` on JS strings compares UTF-16 units and disagrees above U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const len = Math.min(a.length, b.length);
  for (let i = 0; i < len; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    const surrogateA = ca >= 0xd800 && ca <= 0xdfff;
    const surrogateB = cb >= 0xd800 && cb <= 0xdfff;
    if (surrogateA !== surrogateB) return surrogateA ? 1 : -1;
    return ca < cb ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

const RUST_FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)$/;
const RUST_SPECIAL_FLOAT = /^[+-]?(?:inf|infinity|nan)$/i;

/**
 * Rust's `f64::from_str` restricted to finite results (filter-parser's `parse_finite_float`):
 * no surrounding spaces, no hex, no `_`; `inf`/`NaN` parse but are not finite, so they yield null.
 */
export function parseFiniteFloat(text: string): number | null {
  if (RUST_SPECIAL_FLOAT.test(text)) return null;
  if (!RUST_FLOAT.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}
