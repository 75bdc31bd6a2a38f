// Hit shaping: attribute selection (displayedAttributes ∩ attributesToRetrieve), `_formatted` with
// highlighting and cropping, and `_matchesPosition` (UTF-8 byte offsets, as Meilisearch reports).

import { isFieldPathUnder } from './core-query';
import type { Doc } from './types';
import type { Token, Tokenizer } from './tokenizer';

/** Decides whether a normalised document word matches the query, and how much of it to mark. */
export type WordMatcher = (word: string) => { length: number } | null;

/** Keeps the parts of `doc` selected by `selectors` (dotted paths, '*' for all), in key order. */
export function selectAttributes(doc: Doc, selectors: readonly string[]): Doc {
  if (selectors.includes('*')) return doc;
  return selectObject(doc, selectors, '');
}

function selectObject(obj: Record<string, unknown>, selectors: readonly string[], prefix: string): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(obj)) {
    const full = prefix === '' ? key : `${prefix}.${key}`;
    if (selectors.some((s) => isFieldPathUnder(full, s))) {
      out[key] = value;
    } else if (selectors.some((s) => s.startsWith(full + '.'))) {
      const nested = selectNested(value, selectors, full);
      if (nested !== undefined) out[key] = nested;
    }
  }
  return out;
}

function selectNested(value: unknown, selectors: readonly string[], path: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => selectNested(v, selectors, path)).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === 'object' && value !== null) {
    const sub = selectObject(value as Record<string, unknown>, selectors, path);
    return Object.keys(sub).length > 0 ? sub : undefined;
  }
  return undefined;
}

export interface FormatOptions {
  highlight: readonly string[];
  /** Attribute -> crop length (`attr:len` overrides the default). */
  crop: ReadonlyMap<string, number>;
  preTag: string;
  postTag: string;
  cropMarker: string;
}

interface Match {
  token: Token;
  length: number;
}

function findMatches(text: string, tokenizer: Tokenizer, matcher: WordMatcher): { tokens: Token[]; matches: Match[] } {
  const tokens: Token[] = [];
  tokenizer.tokenize(text, tokens);
  const matches: Match[] = [];
  for (const token of tokens) {
    const m = matcher(token.word);
    if (m === null) continue;
    // Prefix matches mark as many source characters as the query prefix had.
    const length = Math.min(m.length === Infinity ? token.end - token.start : m.length, token.end - token.start);
    matches.push({ token, length });
  }
  return { tokens, matches };
}

function highlightRange(text: string, from: number, to: number, matches: Match[], opts: FormatOptions, highlight: boolean): string {
  if (!highlight) return text.slice(from, to);
  let out = '';
  let at = from;
  for (const m of matches) {
    if (m.token.start < from || m.token.end > to) continue;
    out += text.slice(at, m.token.start) + opts.preTag + text.slice(m.token.start, m.token.start + m.length) + opts.postTag;
    at = m.token.start + m.length;
  }
  return out + text.slice(at, to);
}

/** milli's cropping, simplified: the window of `length` words holding the most matches, centred. */
function cropWindow(tokens: Token[], matches: Match[], length: number): [number, number] {
  if (tokens.length <= length) return [0, tokens.length];
  if (length === 0) return [0, 0];
  const matchIdx = matches.map((m) => tokens.indexOf(m.token));
  if (matchIdx.length === 0) return [0, length];
  let bestStart = matchIdx[0]!;
  let bestEnd = matchIdx[0]!;
  let bestCount = 0;
  for (let i = 0; i < matchIdx.length; i++) {
    let j = i;
    while (j + 1 < matchIdx.length && matchIdx[j + 1]! - matchIdx[i]! < length) j++;
    if (j - i + 1 > bestCount) {
      bestCount = j - i + 1;
      bestStart = matchIdx[i]!;
      bestEnd = matchIdx[j]!;
    }
  }
  const spare = length - (bestEnd - bestStart + 1);
  let start = bestStart - Math.floor(spare / 2);
  let end = bestEnd + 1 + Math.ceil(spare / 2);
  if (start < 0) {
    end -= start;
    start = 0;
  }
  if (end > tokens.length) {
    start -= end - tokens.length;
    end = tokens.length;
  }
  return [Math.max(0, start), end];
}

export function formatText(text: string, tokenizer: Tokenizer, matcher: WordMatcher, opts: FormatOptions, highlight: boolean, cropLength: number | null): string {
  const { tokens, matches } = findMatches(text, tokenizer, matcher);
  if (cropLength === null || tokens.length <= cropLength) {
    return highlightRange(text, 0, text.length, matches, opts, highlight);
  }
  const [s, e] = cropWindow(tokens, matches, cropLength);
  if (e <= s) return opts.cropMarker;
  const from = tokens[s]!.start;
  const to = tokens[e - 1]!.end;
  const before = s > 0 ? opts.cropMarker : '';
  const after = e < tokens.length ? opts.cropMarker : '';
  return before + highlightRange(text, from, to, matches, opts, highlight) + after;
}

function formatValue(value: unknown, path: string, tokenizer: Tokenizer, matcher: WordMatcher, opts: FormatOptions): unknown {
  if (Array.isArray(value)) return value.map((v) => formatValue(v, path, tokenizer, matcher, opts));
  if (typeof value === 'object' && value !== null) {
    const out: Doc = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = formatValue(v, `${path}.${k}`, tokenizer, matcher, opts);
    return out;
  }
  const highlight = opts.highlight.some((h) => h === '*' || isFieldPathUnder(path, h));
  let crop: number | null = null;
  for (const [attr, len] of opts.crop) if (attr === '*' || isFieldPathUnder(path, attr)) crop = len;
  // Meilisearch's `_formatted` holds every number as a string, highlighted or not.
  if (!highlight && crop === null) return typeof value === 'number' ? String(value) : value;
  if (typeof value === 'string') return formatText(value, tokenizer, matcher, opts, highlight, crop);
  if (typeof value === 'number') return formatText(String(value), tokenizer, matcher, opts, highlight, crop);
  return value;
}

export function formatDocument(doc: Doc, tokenizer: Tokenizer, matcher: WordMatcher, opts: FormatOptions): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(doc)) out[k] = formatValue(v, k, tokenizer, matcher, opts);
  return out;
}

type MatchPosition = { start: number; length: number; indices?: number[] };

/**
 * `_matchesPosition`: per attribute path, the byte start and length of every match. Inside arrays
 * each match carries the element's `indices`, and, as in Meilisearch 1.50, the last element with
 * a match replaces what earlier elements of the same path reported.
 */
export function matchesPosition(doc: Doc, tokenizer: Tokenizer, matcher: WordMatcher): Record<string, MatchPosition[]> {
  const out: Record<string, MatchPosition[]> = {};
  const visit = (value: unknown, path: string, indices: number[]): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(v, path, [...indices, i]));
    if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) visit(v, path === '' ? k : `${path}.${k}`, indices);
      return;
    }
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    const { matches } = findMatches(text, tokenizer, matcher);
    if (matches.length === 0) return;
    out[path] = matches.map((m) => ({
      start: Buffer.byteLength(text.slice(0, m.token.start)),
      length: Buffer.byteLength(text.slice(m.token.start, m.token.start + m.length)),
      ...(indices.length > 0 ? { indices } : {}),
    }));
  };
  visit(doc, '', []);
  return out;
}
