// Parser for one Meilisearch filter string.
//
// Hand-written because no maintained JavaScript package implements Meilisearch's filter grammar.
// It is a port of the structure of Meilisearch's `filter-parser` crate (a nom parser), including
// nom's distinction between a recoverable error (try the next alternative) and a failure (stop
// here, reported as is), because that distinction is what decides which message and which
// position Meilisearch reports. Grammar:
//
//   filter     = expression EOF
//   expression = or
//   or         = and ("OR" and)*
//   and        = not ("AND" not)*
//   not        = ("NOT" not) | primary
//   primary    = "(" expression ")" | geoRadius | geoBoundingBox | in | notIn | condition
//              | isNull | isNotNull | isEmpty | isNotEmpty | exists | notExists | to
//              | contains | notContains | startsWith | notStartsWith
//   value      = WS* (word | 'single quoted' | "double quoted") WS*
//   word       = (alphanumeric | _ | - | .)+ except the reserved keywords
//
// Keywords are case-sensitive (upper case only), as in Meilisearch. Precedence: NOT > AND > OR.

import type { ComparisonOperator, FilterExpr, Token } from './filter-ast';
import { escapeDebug, FilterParseError, positionedMessage } from './filter-error';
import { isRustWhitespace, trimRust } from './normalize';
import { unescapeValue } from './unescape';

const MAX_FILTER_DEPTH = 200;

type ErrorKind =
  | { readonly k: 'expectedValue'; readonly reserved: boolean }
  | { readonly k: 'malformedValue' }
  | { readonly k: 'missingClosingDelimiter'; readonly c: string }
  | { readonly k: 'invalidPrimary' }
  | { readonly k: 'invalidEscapedNumber' }
  | { readonly k: 'expectedEof' }
  | { readonly k: 'geoRadius' }
  | { readonly k: 'geoBoundingBox' }
  | { readonly k: 'reservedGeo'; readonly name: string }
  | { readonly k: 'misusedGeoRadius' }
  | { readonly k: 'misusedGeoBoundingBox' }
  | { readonly k: 'reservedKeyword'; readonly word: string }
  | { readonly k: 'inOpeningBracket' }
  | { readonly k: 'inClosingBracket' }
  | { readonly k: 'inExpectedValue' }
  | { readonly k: 'depthLimitReached' }
  | { readonly k: 'char'; readonly c: string }
  | { readonly k: 'internal' };

/** A parse error: `fatal` is nom's Failure (no backtracking), otherwise nom's Error. */
interface Fail {
  readonly ok: false;
  readonly fatal: boolean;
  readonly kind: ErrorKind;
  readonly start: number;
  /** Undefined means "to the end of the input" (nom's context is the remaining input). */
  readonly end?: number;
}
interface Ok<T> {
  readonly ok: true;
  readonly pos: number;
  readonly value: T;
}
type Result<T> = Ok<T> | Fail;

const RESERVED_KEYWORDS = new Set([
  'AND',
  'OR',
  'IN',
  'NOT',
  'TO',
  'EXISTS',
  'IS',
  'NULL',
  'EMPTY',
  'CONTAINS',
  'STARTS',
  'WITH',
  '_geoRadius',
  '_geoBoundingBox',
]);

const VALUE_COMPONENT = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}_\-.]/u;
const SYNTAX_CHARS = new Set(['(', ')', '=', '<', '>', '!']);
const FLOAT = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;

function ok<T>(pos: number, value: T): Ok<T> {
  return { ok: true, pos, value };
}
function err(kind: ErrorKind, start: number, end?: number): Fail {
  return { ok: false, fatal: false, kind, start, end };
}
function failure(kind: ErrorKind, start: number, end?: number): Fail {
  return { ok: false, fatal: true, kind, start, end };
}
/** nom's `cut`: an error becomes a failure. */
function cut(f: Fail): Fail {
  return f.fatal ? f : { ...f, fatal: true };
}

class Parser {
  constructor(private readonly src: string) {}

  // ---- character classes -------------------------------------------------------------------

  private charAt(pos: number): string {
    const cp = this.src.codePointAt(pos);
    return cp === undefined ? '' : String.fromCodePoint(cp);
  }

  /** nom's multispace0: only space, tab, CR, LF. */
  private skipMultispace(pos: number): number {
    while (pos < this.src.length) {
      const c = this.src[pos];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') pos++;
      else break;
    }
    return pos;
  }

  private skipUnicodeWhitespace(pos: number): number {
    while (pos < this.src.length) {
      const ch = this.charAt(pos);
      if (!isRustWhitespace(ch)) break;
      pos += ch.length;
    }
    return pos;
  }

  private takeValueComponents(pos: number): number {
    while (pos < this.src.length) {
      const ch = this.charAt(pos);
      if (!VALUE_COMPONENT.test(ch)) break;
      pos += ch.length;
    }
    return pos;
  }

  /** Up to the next whitespace or syntax character: the fragment shown in "expected a value" errors. */
  private takeTillSyntax(pos: number): number {
    while (pos < this.src.length) {
      const ch = this.charAt(pos);
      if (isRustWhitespace(ch) || SYNTAX_CHARS.has(ch)) break;
      pos += ch.length;
    }
    return pos;
  }

  private tag(pos: number, text: string): Result<null> {
    return this.src.startsWith(text, pos) ? ok(pos + text.length, null) : err({ k: 'internal' }, pos);
  }

  /** `multispace1`. */
  private space1(pos: number): Result<null> {
    const end = this.skipMultispace(pos);
    return end > pos ? ok(end, null) : err({ k: 'internal' }, pos);
  }

  /** filter-parser's `word_exact`: a whole word equal to `word`. */
  private wordExact(pos: number, word: string): Result<null> {
    const end = this.takeValueComponents(pos);
    if (end === pos) return err({ k: 'internal' }, pos);
    return this.src.slice(pos, end) === word ? ok(end, null) : err({ k: 'internal' }, end);
  }

  /** `ws(word_exact(word))`. */
  private keyword(pos: number, word: string): Result<null> {
    const r = this.wordExact(this.skipMultispace(pos), word);
    return r.ok ? ok(this.skipMultispace(r.pos), null) : r;
  }

  // ---- values ------------------------------------------------------------------------------

  /** Contents of a quoted string up to (not including) the closing quote or the end of input. */
  private quotedBy(quote: string, pos: number): Result<string> {
    const src = this.src;
    let escaped = false;
    let i = pos;
    while (i < src.length) {
      const c = src[i];
      if (c === quote) {
        const raw = src.slice(pos, i);
        return ok(i, escaped ? raw.split(`\\${quote}`).join(quote) : raw);
      }
      if (c === '\\') {
        if (i + 1 >= src.length) return err({ k: 'malformedValue' }, pos);
        escaped ||= src[i + 1] === quote;
        i += 1 + this.charAt(i + 1).length;
      } else {
        i += 1;
      }
    }
    const raw = src.slice(pos);
    return ok(src.length, escaped ? raw.split(`\\${quote}`).join(quote) : raw);
  }

  /** filter-parser's `parse_value`. */
  private value(input: number): Result<Token> {
    const p = this.skipUnicodeWhitespace(input);

    // Misused geo expressions are reported as such wherever a value is expected.
    for (const check of [this.geoPoint, this.geoDistance, this.geo]) {
      const r = check.call(this, p);
      if (!r.ok && r.fatal) return r;
    }
    const radius = this.geoRadius(p);
    if (radius.ok || radius.fatal) return failure({ k: 'misusedGeoRadius' }, p);
    const box = this.geoBoundingBox(p);
    if (box.ok || box.fatal) return failure({ k: 'misusedGeoBoundingBox' }, p);

    let start: number;
    let end: number;
    let decoded: string;
    let next: number;
    const first = this.src[p];
    if (first === "'" || first === '"') {
      const inner = this.quotedBy(first, p + 1);
      if (!inner.ok) return cut(inner);
      if (this.src[inner.pos] !== first) return failure({ k: 'missingClosingDelimiter', c: first }, p);
      start = p + 1;
      end = inner.pos;
      decoded = inner.value;
      next = inner.pos + 1;
    } else {
      end = this.takeValueComponents(p);
      const word = this.src.slice(p, end);
      if (end === p || RESERVED_KEYWORDS.has(word)) {
        return err({ k: 'expectedValue', reserved: end > p }, p, this.takeTillSyntax(p));
      }
      start = p;
      decoded = word;
      next = end;
    }
    next = this.skipMultispace(next);

    const unescaped = unescapeValue(decoded);
    if (!unescaped.ok) {
      const kind: ErrorKind = unescaped.error === 'parseInt' ? { k: 'invalidEscapedNumber' } : { k: 'malformedValue' };
      return err(kind, start, end);
    }
    return ok(next, { value: unescaped.value, source: this.src, start, end });
  }

  // ---- geo ---------------------------------------------------------------------------------

  private float(pos: number): Result<Token> {
    FLOAT.lastIndex = pos;
    const m = FLOAT.exec(this.src);
    if (!m) return err({ k: 'internal' }, pos);
    const end = pos + m[0].length;
    return ok(end, { value: m[0], source: this.src, start: pos, end });
  }

  /** nom's `separated_list1(tag(","), item)`. */
  private separatedList<T>(pos: number, item: (p: number) => Result<T>): Result<T[]> {
    const first = item(pos);
    if (!first.ok) return first;
    const out = [first.value];
    let cur = first.pos;
    for (;;) {
      if (this.src[cur] !== ',') return ok(cur, out);
      const next = item(cur + 1);
      if (!next.ok) {
        if (next.fatal) return next;
        return ok(cur, out);
      }
      out.push(next.value);
      cur = next.pos;
    }
  }

  private wsFloat = (pos: number): Result<Token> => {
    const r = this.float(this.skipMultispace(pos));
    return r.ok ? ok(this.skipMultispace(r.pos), r.value) : r;
  };

  private geoRadius(input: number): Result<FilterExpr> {
    const word = this.wordExact(this.skipMultispace(input), '_geoRadius');
    if (!word.ok) return err({ k: 'geoRadius' }, input);
    const fail = failure({ k: 'geoRadius' }, input);
    if (this.src[word.pos] !== '(') return fail;
    const args = this.separatedList(word.pos + 1, this.wsFloat);
    if (!args.ok || this.src[args.pos] !== ')') return fail;
    const after = args.pos + 1;
    if (args.value.length !== 3) return failure({ k: 'geoRadius' }, after);
    const [lat, lng, radius] = args.value as [Token, Token, Token];
    return ok(after, { type: 'geoRadius', lat, lng, radius });
  }

  private geoBoundingBox(input: number): Result<FilterExpr> {
    const word = this.wordExact(this.skipMultispace(input), '_geoBoundingBox');
    if (!word.ok) return err({ k: 'geoBoundingBox' }, input);
    const fail = failure({ k: 'geoBoundingBox' }, input);
    if (this.src[word.pos] !== '(') return fail;
    const point = (pos: number): Result<Token[]> => {
      const p = this.skipMultispace(pos);
      if (this.src[p] !== '[') return err({ k: 'internal' }, p);
      const coords = this.separatedList(p + 1, this.wsFloat);
      if (!coords.ok) return coords;
      if (this.src[coords.pos] !== ']') return err({ k: 'internal' }, coords.pos);
      return ok(this.skipMultispace(coords.pos + 1), coords.value);
    };
    const points = this.separatedList(word.pos + 1, point);
    if (!points.ok || this.src[points.pos] !== ')') return fail;
    const after = points.pos + 1;
    const [topRight, bottomLeft] = points.value;
    if (points.value.length !== 2 || topRight!.length !== 2 || bottomLeft!.length !== 2) {
      return failure({ k: 'geoBoundingBox' }, after);
    }
    return ok(after, {
      type: 'geoBoundingBox',
      topRight: [topRight![0]!, topRight![1]!],
      bottomLeft: [bottomLeft![0]!, bottomLeft![1]!],
    });
  }

  /** `_geoPoint(…)`, `_geoDistance(…)` and `_geo(…)` are reserved: once recognised they always fail. */
  private reservedGeo(input: number, name: string, wholeWord: boolean): Result<never> {
    const p = this.skipMultispace(input);
    const matched = wholeWord ? this.wordExact(p, name).ok : this.src.startsWith(name, p);
    return matched ? failure({ k: 'reservedGeo', name }, input) : err({ k: 'reservedGeo', name }, input);
  }
  private geoPoint(input: number): Result<never> {
    return this.reservedGeo(input, '_geoPoint', false);
  }
  private geoDistance(input: number): Result<never> {
    return this.reservedGeo(input, '_geoDistance', false);
  }
  private geo(input: number): Result<never> {
    return this.reservedGeo(input, '_geo', true);
  }

  // ---- conditions --------------------------------------------------------------------------

  /** `IN [a, b, …]` after the field. */
  private inBody(pos: number): Result<Token[]> {
    const kw = this.keyword(pos, 'IN');
    if (!kw.ok) return kw;
    if (this.src[kw.pos] !== '[') return failure({ k: 'inOpeningBracket' }, kw.pos);
    const list = this.valueList(kw.pos + 1);
    if (!list.ok) return cut(list);
    const close = this.skipMultispace(list.pos);
    if (this.src[close] !== ']') {
      const kind: ErrorKind = list.pos >= this.src.length ? { k: 'inClosingBracket' } : { k: 'inExpectedValue' };
      return failure(kind, list.pos);
    }
    return ok(this.skipMultispace(close + 1), list.value);
  }

  private valueList(pos: number): Result<Token[]> {
    const first = this.value(pos);
    if (!first.ok) return first.fatal ? first : ok(pos, []);
    const values = [first.value];
    let cur = first.pos;
    for (;;) {
      const comma = this.skipMultispace(cur);
      if (this.src[comma] !== ',') break;
      const next = this.value(this.skipMultispace(comma + 1));
      if (!next.ok) {
        if (next.fatal) return next;
        break;
      }
      values.push(next.value);
      cur = next.pos;
    }
    const trailing = this.skipMultispace(cur);
    if (this.src[trailing] === ',') cur = this.skipMultispace(trailing + 1);
    return ok(cur, values);
  }

  private in(pos: number): Result<FilterExpr> {
    const field = this.value(pos);
    if (!field.ok) return field;
    const body = this.inBody(field.pos);
    if (!body.ok) return body;
    return ok(body.pos, { type: 'in', field: field.value, values: body.value });
  }

  private notIn(pos: number): Result<FilterExpr> {
    const field = this.value(pos);
    if (!field.ok) return field;
    const not = this.wordExact(field.pos, 'NOT');
    if (!not.ok) return not;
    const body = this.inBody(not.pos);
    if (!body.ok) return body;
    return ok(body.pos, { type: 'not', child: { type: 'in', field: field.value, values: body.value } });
  }

  private condition(pos: number): Result<FilterExpr> {
    const field = this.value(pos);
    if (!field.ok) return field;
    const op = (['<=', '>=', '!=', '<', '>', '='] as const).find((o) => this.src.startsWith(o, field.pos));
    if (op === undefined) return err({ k: 'internal' }, field.pos);
    const value = this.value(field.pos + op.length);
    if (!value.ok) return cut(value);
    const expr: FilterExpr = { type: 'compare', field: field.value, op: op as ComparisonOperator, value: value.value };
    return ok(value.pos, expr);
  }

  /** `field` followed by a sequence of literal tags separated by at least one space. */
  private fieldThen(pos: number, tags: readonly string[]): Result<Token> {
    const field = this.value(pos);
    if (!field.ok) return field;
    let cur = field.pos;
    for (let i = 0; i < tags.length; i++) {
      if (i > 0) {
        const sp = this.space1(cur);
        if (!sp.ok) return sp;
        cur = sp.pos;
      }
      const t = this.tag(cur, tags[i]!);
      if (!t.ok) return t;
      cur = t.pos;
    }
    return ok(cur, field.value);
  }

  private unary(pos: number, tags: readonly string[], type: 'exists' | 'isNull' | 'isEmpty', negate: boolean): Result<FilterExpr> {
    const r = this.fieldThen(pos, tags);
    if (!r.ok) return r;
    const expr: FilterExpr = { type, field: r.value };
    return ok(r.pos, negate ? { type: 'not', child: expr } : expr);
  }

  private textMatch(pos: number, tags: readonly string[], type: 'contains' | 'startsWith', negate: boolean): Result<FilterExpr> {
    const r = this.fieldThen(pos, tags);
    if (!r.ok) return r;
    const value = this.value(r.pos);
    if (!value.ok) return cut(value);
    const expr: FilterExpr = { type, field: r.value, value: value.value };
    return ok(value.pos, negate ? { type: 'not', child: expr } : expr);
  }

  private to(pos: number): Result<FilterExpr> {
    const field = this.value(pos);
    if (!field.ok) return field;
    const from = this.value(field.pos);
    if (!from.ok) return from;
    const t = this.tag(from.pos, 'TO');
    if (!t.ok) return t;
    const sp = this.space1(t.pos);
    if (!sp.ok) return sp;
    const to = this.value(sp.pos);
    if (!to.ok) return cut(to);
    return ok(to.pos, { type: 'between', field: field.value, from: from.value, to: to.value });
  }

  /** Reports `AND = 8`-style misuse of a keyword as a failure instead of "expected an operation". */
  private reservedKeywordCondition(pos: number): Result<FilterExpr> {
    const r = this.condition(pos);
    if (r.ok) return r;
    if (r.kind.k === 'expectedValue' && r.kind.reserved) return { ...r, fatal: true };
    return { ...r, fatal: false };
  }

  // ---- expressions -------------------------------------------------------------------------

  private primary(input: number, depth: number): Result<FilterExpr> {
    if (depth > MAX_FILTER_DEPTH) return err({ k: 'depthLimitReached' }, input);
    const open = this.skipMultispace(input);
    if (this.src[open] === '(') {
      const inner = this.expression(this.skipMultispace(open + 1), depth + 1);
      if (!inner.ok) return cut(inner);
      const close = this.skipMultispace(inner.pos);
      if (this.src[close] !== ')') return failure({ k: 'missingClosingDelimiter', c: ')' }, input);
      return ok(this.skipMultispace(close + 1), inner.value);
    }
    const alternatives: Array<(p: number) => Result<FilterExpr>> = [
      (p) => this.geoRadius(p),
      (p) => this.geoBoundingBox(p),
      (p) => this.in(p),
      (p) => this.notIn(p),
      (p) => this.condition(p),
      (p) => this.unary(p, ['IS', 'NULL'], 'isNull', false),
      (p) => this.unary(p, ['IS', 'NOT', 'NULL'], 'isNull', true),
      (p) => this.unary(p, ['IS', 'EMPTY'], 'isEmpty', false),
      (p) => this.unary(p, ['IS', 'NOT', 'EMPTY'], 'isEmpty', true),
      (p) => this.unary(p, ['EXISTS'], 'exists', false),
      (p) => this.unary(p, ['NOT', 'EXISTS'], 'exists', true),
      (p) => this.to(p),
      (p) => this.textMatch(p, ['CONTAINS'], 'contains', false),
      (p) => this.textMatch(p, ['NOT', 'CONTAINS'], 'contains', true),
      (p) => this.textMatch(p, ['STARTS WITH'], 'startsWith', false),
      (p) => this.textMatch(p, ['NOT', 'STARTS WITH'], 'startsWith', true),
      (p) => this.geo(p),
      (p) => this.geoDistance(p),
      (p) => this.geoPoint(p),
      (p) => this.reservedKeywordCondition(p),
    ];
    for (const alternative of alternatives) {
      const r = alternative(input);
      if (r.ok || r.fatal) return r;
    }
    return err({ k: 'invalidPrimary' }, input);
  }

  private not(input: number, depth: number): Result<FilterExpr> {
    if (depth > MAX_FILTER_DEPTH) return err({ k: 'depthLimitReached' }, input);
    const kw = this.keyword(input, 'NOT');
    if (kw.ok) {
      const inner = this.not(kw.pos, depth + 1);
      if (!inner.ok) return cut(inner);
      // `NOT NOT x` is `x`: Meilisearch folds double negations while parsing.
      const expr: FilterExpr = inner.value.type === 'not' ? inner.value.child : { type: 'not', child: inner.value };
      return ok(inner.pos, expr);
    }
    return this.primary(input, depth + 1);
  }

  private chain(
    input: number,
    depth: number,
    word: 'AND' | 'OR',
    operand: (p: number, d: number) => Result<FilterExpr>,
  ): Result<FilterExpr> {
    if (depth > MAX_FILTER_DEPTH) return err({ k: 'depthLimitReached' }, input);
    const first = operand(input, depth + 1);
    if (!first.ok) return first;
    const children = [first.value];
    let cur = first.pos;
    for (;;) {
      const kw = this.keyword(cur, word);
      if (!kw.ok) break;
      const next = operand(kw.pos, depth + 1);
      if (!next.ok) return cut(next);
      children.push(next.value);
      cur = next.pos;
    }
    if (children.length === 1) return ok(cur, first.value);
    return ok(cur, word === 'AND' ? { type: 'and', children } : { type: 'or', children });
  }

  private and(input: number, depth: number): Result<FilterExpr> {
    return this.chain(input, depth, 'AND', (p, d) => this.not(p, d));
  }

  expression(input: number, depth: number): Result<FilterExpr> {
    return this.chain(input, depth, 'OR', (p, d) => this.and(p, d));
  }

  parse(): FilterExpr {
    const r = this.expression(0, 0);
    if (!r.ok) throw this.toError(r);
    if (r.pos !== this.src.length) throw this.toError(err({ k: 'expectedEof' }, r.pos));
    return r.value;
  }

  // ---- messages ----------------------------------------------------------------------------

  private toError(f: Fail): FilterParseError {
    const end = f.end ?? this.src.length;
    const fragment = this.src.slice(f.start, end);
    return new FilterParseError(positionedMessage(diagnostic(f.kind, fragment), this.src, f.start, end));
  }
}

const OPERATIONS =
  '`=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `CONTAINS`, `NOT CONTAINS`, `STARTS WITH`, `NOT STARTS WITH`, `_geoRadius`, or `_geoBoundingBox`';

function diagnostic(kind: ErrorKind, fragment: string): string {
  const escaped = escapeDebug(fragment);
  switch (kind.k) {
    case 'expectedValue':
      if (trimRust(fragment) === '') return 'Was expecting a value but instead got nothing.';
      return kind.reserved
        ? `Was expecting a value but instead got \`${escaped}\`, which is a reserved keyword. To use \`${escaped}\` as a field name or a value, surround it by quotes.`
        : `Was expecting a value but instead got \`${escaped}\`.`;
    case 'malformedValue':
      return `Malformed value: \`${escaped}\`.`;
    case 'missingClosingDelimiter':
      return `Expression \`${escaped}\` is missing the following closing delimiter: \`${kind.c}\`.`;
    case 'invalidPrimary':
      return `Was expecting an operation ${OPERATIONS} ${trimRust(fragment) === '' ? 'but instead got nothing.' : `at \`${escaped}\`.`}`;
    case 'invalidEscapedNumber':
      return `Found an invalid escaped sequence number: \`${escaped}\`.`;
    case 'expectedEof':
      return `Found unexpected characters at the end of the filter: \`${escaped}\`. You probably forgot an \`OR\` or an \`AND\` rule.`;
    case 'geoRadius':
      return 'The `_geoRadius` filter expects three arguments: `_geoRadius(latitude, longitude, radius)`.';
    case 'geoBoundingBox':
      return 'The `_geoBoundingBox` filter expects two pairs of arguments: `_geoBoundingBox([latitude, longitude], [latitude, longitude])`.';
    case 'reservedGeo':
      return `\`${escapeDebug(kind.name)}\` is a reserved keyword and thus can't be used as a filter expression. Use the \`_geoRadius(latitude, longitude, distance)\` or \`_geoBoundingBox([latitude, longitude], [latitude, longitude])\` built-in rules to filter on \`_geo\` coordinates.`;
    case 'misusedGeoRadius':
      return "The `_geoRadius` filter is an operation and can't be used as a value.";
    case 'misusedGeoBoundingBox':
      return "The `_geoBoundingBox` filter is an operation and can't be used as a value.";
    case 'reservedKeyword':
      return `\`${kind.word}\` is a reserved keyword and thus cannot be used as a field name unless it is put inside quotes. Use "${kind.word}" or '${kind.word}' instead.`;
    case 'inOpeningBracket':
      return 'Expected `[` after `IN` keyword.';
    case 'inClosingBracket':
      return 'Expected matching `]` after the list of field names given to `IN[`';
    case 'inExpectedValue':
      return `Expected only comma-separated field names inside \`IN[..]\` but instead found \`${escaped}\`.`;
    case 'depthLimitReached':
      return 'The filter exceeded the maximum depth limit. Try rewriting the filter so that it contains fewer nested conditions.';
    case 'char':
    case 'internal':
      // Meilisearch asks users to report these; they are not reachable through this parser's paths.
      return 'Encountered an internal error while parsing your filter. Please fill an issue';
  }
}

/** Parses one filter string; `null` when it is empty or only whitespace. */
export function parseFilterString(input: string): FilterExpr | null {
  if (trimRust(input) === '') return null;
  return new Parser(input).parse();
}
