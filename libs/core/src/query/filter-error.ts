// Filter errors worded and positioned like Meilisearch's: the first line is the diagnostic, the
// second is `startColumn:endColumn filter` where columns are 1-based and count Unicode scalar
// values within the line (nom_locate's `get_utf8_column`).

import type { Token } from './filter-ast';

/** A filter Meilisearch would reject with `invalid_search_filter` (or the route's filter code). */
export class FilterParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterParseError';
  }
}

export function codePointCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** `col:col+len filter` for the span [start, end) of `source`. */
export function positionSuffix(source: string, start: number, end: number): string {
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const column = codePointCount(source.slice(lineStart, start)) + 1;
  const size = codePointCount(source.slice(start, end));
  return `${column}:${column + size} ${source}`;
}

/** The full two-line message for a diagnostic about the span [start, end) of `source`. */
export function positionedMessage(diagnostic: string, source: string, start: number, end: number): string {
  return `${diagnostic}\n${positionSuffix(source, start, end)}`;
}

export function tokenError(diagnostic: string, token: Token): FilterParseError {
  return new FilterParseError(positionedMessage(diagnostic, token.source, token.start, token.end));
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}]/u;
const GRAPHEME_EXTEND = /\p{Grapheme_Extend}/u;

/**
 * Rust's `str::escape_debug`, which Meilisearch applies to the quoted fragment of a diagnostic:
 * quotes, backslashes and \t \r \n \0 are backslash-escaped, other non-printable characters become
 * `\u{…}`. (Printability is approximated with Unicode general categories.)
 */
export function escapeDebug(s: string): string {
  let out = '';
  let first = true;
  for (const ch of s) {
    switch (ch) {
      case '\t':
        out += '\\t';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\0':
        out += '\\0';
        break;
      case '\\':
      case "'":
      case '"':
        out += `\\${ch}`;
        break;
      default:
        if (NON_PRINTABLE.test(ch) || (first && GRAPHEME_EXTEND.test(ch))) {
          out += `\\u{${ch.codePointAt(0)!.toString(16)}}`;
        } else {
          out += ch;
        }
    }
    first = false;
  }
  return out;
}
