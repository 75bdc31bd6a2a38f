// The per-index search engine of the dev node. It is hand-written, not a wrapper around some
// search library, because it is a test double whose whole point is to rank like Meilisearch
// (milli): the same rules, the same bucket sort, the same `_rankingScore` arithmetic. Every score
// depends only on the document and the query, never on other documents, so that Miroir can merge
// the hits of several shards by score.

import { SimError } from '../errors';
import {
  assertFilterable,
  assertSortable,
  compareCodePoints,
  distinctNotFilterableMessage,
  fieldValues,
  FilterParseError,
  geoPointOf,
  haversineMeters,
  isFieldPathUnder,
  isFilterable,
  matchesFilter,
  normalizeFacet,
  parseFilter,
  parseSortRules,
  printFilter,
  SortParseError,
  type FilterExpr,
  type SortRule,
} from './core-query';
import { forEachLeaf, FieldRegistry } from './fields';
import { computeFacets, resolveFacetNames } from './facets';
import { formatDocument, matchesPosition, selectAttributes, type FormatOptions, type WordMatcher } from './formatting';
import type { DocRecord, IndexView } from './index-view';
import { InvertedIndex, packPosition } from './inverted-index';
import { computeDerivations, normalizeSynonyms, QueryMatch, type TermDerivations } from './matching';
import { paginationFields, resolveWindow } from './pagination';
import { parseQuery, type ParsedQuery } from './query';
import { bucketSort, compileRules, Ranker } from './ranking';
import { normalizeWord, Token, Tokenizer } from './tokenizer';
import type { Doc, IndexSettings, SearchEngine, SearchParams, SearchResponse } from './types';
import { Vocabulary } from './vocabulary';

const DEFAULT_CROP_LENGTH = 10;

/**
 * `_geoDistance` in whole meters. Meilisearch computes it on a 6 371 000 m sphere and rounds
 * (unlike its `_geoRadius` filter, which libs/core follows with the mean radius); matching both
 * exactly takes the two radii.
 */
function geoDistance(from: readonly [number, number], to: readonly [number, number]): number {
  return Math.round(haversineMeters(from, to, 6_371_000));
}

/** Smallest-first pool of freed internal ids: milli reuses the lowest available document id. */
class IdPool {
  private readonly heap: number[] = [];
  private next = 0;

  take(): number {
    const h = this.heap;
    if (h.length === 0) return this.next++;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]! < h[m]!) m = l;
        if (r < h.length && h[r]! < h[m]!) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }

  release(id: number): void {
    const h = this.heap;
    h.push(id);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (h[p]! <= h[i]!) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  get capacity(): number {
    return this.next;
  }
}

function tokenizerFor(settings: IndexSettings): Tokenizer {
  return new Tokenizer({
    stopWords: new Set(settings.stopWords.map(normalizeWord)),
    separatorTokens: settings.separatorTokens,
    nonSeparatorTokens: settings.nonSeparatorTokens,
    dictionary: settings.dictionary,
  });
}

/** Settings that change how documents are tokenised and indexed (others apply at query time). */
function indexingKey(s: IndexSettings): string {
  return JSON.stringify([s.searchableAttributes, s.stopWords, s.separatorTokens, s.nonSeparatorTokens, s.dictionary]);
}

export class MeiliSearchEngine implements SearchEngine {
  private settings: IndexSettings;
  private tokenizer: Tokenizer;
  private synonyms: Map<string, string[][]>;
  private readonly vocab = new Vocabulary();
  private readonly records: (DocRecord | undefined)[] = [];
  private readonly index = new InvertedIndex((doc, version) => this.records[doc]?.version === version);
  private readonly external = new Map<string, number>();
  private ids = new IdPool();
  private version = 0;
  private readonly fields = new FieldRegistry();
  private typoDisabledFields = new Set<number>();
  private readonly scratchTokens: Token[] = [];

  constructor(settings: IndexSettings) {
    this.settings = settings;
    this.tokenizer = tokenizerFor(settings);
    this.synonyms = normalizeSynonyms(settings.synonyms, this.tokenizer);
    this.fields.configure(settings.searchableAttributes);
  }

  // ---- writes -------------------------------------------------------------------------------

  upsert(id: string, doc: Doc): void {
    let internal = this.external.get(id);
    if (internal === undefined) {
      internal = this.ids.take();
      this.external.set(id, internal);
    } else {
      this.unindex(internal);
    }
    this.records[internal] = this.indexDocument(internal, id, doc);
  }

  remove(id: string): void {
    const internal = this.external.get(id);
    if (internal === undefined) return;
    this.unindex(internal);
    this.records[internal] = undefined;
    this.external.delete(id);
    this.ids.release(internal);
  }

  clear(): void {
    this.records.length = 0;
    this.external.clear();
    this.ids = new IdPool();
    this.index.clear();
    this.vocab.clear();
    this.fields.clear();
    this.fields.configure(this.settings.searchableAttributes);
  }

  applySettings(settings: IndexSettings): void {
    const reindex = indexingKey(settings) !== indexingKey(this.settings);
    this.settings = settings;
    this.tokenizer = tokenizerFor(settings);
    this.synonyms = normalizeSynonyms(settings.synonyms, this.tokenizer);
    this.fields.configure(settings.searchableAttributes);
    this.updateTypoDisabledFields();
    if (!reindex) return;
    // Tokenisation changed: rebuild every posting, keeping internal ids (and so document order).
    this.index.clear();
    this.vocab.clear();
    for (let i = 0; i < this.records.length; i++) {
      const rec = this.records[i];
      if (rec !== undefined) this.records[i] = this.indexDocument(i, rec.externalId, rec.doc);
    }
  }

  private updateTypoDisabledFields(): void {
    const disabled = this.settings.typoTolerance.disableOnAttributes;
    this.typoDisabledFields = new Set(
      this.fields.paths.flatMap((p, i) => (disabled.some((a) => isFieldPathUnder(p, a)) ? [i] : [])),
    );
  }

  private unindex(internal: number): void {
    const rec = this.records[internal];
    if (rec === undefined) return;
    const distinct = new Set<number>();
    for (const w of rec.words) if (w >= 0) distinct.add(w);
    for (const w of distinct) this.index.markStale(w);
  }

  private indexDocument(internal: number, externalId: string, doc: Doc): DocRecord {
    const words: number[] = [];
    const positions: number[] = [];
    const nextPosition = new Map<number, number>();
    let lastField = -1;
    let interleaved = false;
    const fieldsBefore = this.fields.paths.length;
    forEachLeaf(doc, '', (path, text) => {
      const field = this.fields.idOf(path);
      if (text === null || this.fields.weights[field]! < 0) return;
      if (field !== lastField && nextPosition.has(field)) interleaved = true;
      lastField = field;
      const tokens = this.scratchTokens;
      tokens.length = 0;
      nextPosition.set(field, this.tokenizer.tokenize(text, tokens, nextPosition.get(field) ?? 0));
      for (const t of tokens) {
        words.push(t.stop ? -1 : this.vocab.intern(t.word));
        positions.push(packPosition(field, t.position));
      }
    });
    if (this.fields.paths.length !== fieldsBefore) this.updateTypoDisabledFields();
    let order: number[] | null = null;
    if (interleaved) {
      // Values of one attribute spread over array elements: keep each attribute's tokens together.
      order = words.map((_, i) => i).sort((a, b) => positions[a]! - positions[b]! || a - b);
    }
    const n = words.length;
    const rec: DocRecord = {
      externalId,
      doc,
      version: ++this.version,
      words: new Int32Array(n),
      positions: new Int32Array(n),
      fieldCounts: new Int32Array(0),
    };
    for (let i = 0; i < n; i++) {
      const src = order === null ? i : order[i]!;
      rec.words[i] = words[src]!;
      rec.positions[i] = positions[src]!;
    }
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      if (rec.words[i]! < 0) continue;
      const f = rec.positions[i]! >>> 16;
      counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    rec.fieldCounts = Int32Array.from([...counts].flat());
    // Group token indices by word (sorting word * 2^21 + index keeps each word's positions in order).
    const SHIFT = 2 ** 21;
    const keys = new Float64Array(n);
    let k = 0;
    for (let i = 0; i < n && i < SHIFT; i++) if (rec.words[i]! >= 0) keys[k++] = rec.words[i]! * SHIFT + i;
    const sorted = keys.subarray(0, k).sort();
    const buf: number[] = [];
    for (let i = 0; i < k; ) {
      const word = Math.floor(sorted[i]! / SHIFT);
      buf.length = 0;
      while (i < k && Math.floor(sorted[i]! / SHIFT) === word) {
        buf.push(rec.positions[sorted[i]! % SHIFT]!);
        i++;
      }
      this.index.append(word, internal, rec.version, buf, 0, buf.length);
    }
    return rec;
  }

  // ---- search -------------------------------------------------------------------------------

  private view(): IndexView {
    return {
      vocab: this.vocab,
      index: this.index,
      records: this.records,
      capacity: this.ids.capacity,
      fieldWeights: this.fields.weights,
      maxWeight: this.fields.maxWeight(),
      typoDisabledFields: this.typoDisabledFields,
      fieldPaths: this.fields.paths,
    };
  }

  search(params: SearchParams): SearchResponse {
    const started = performance.now();
    const settings = this.settings;
    const q = params.q ?? '';

    const filter = this.parseFilterParam(params.filter);
    const sort = this.parseSortParam(params.sort);
    const facetNames = params.facets == null ? null : resolveFacetNames(params.facets, settings, this.fields.paths);
    const allowedFields = this.resolveSearchOn(params.attributesToSearchOn);
    const distinctAttr = this.resolveDistinct(params.distinct);

    const { parsed, derivations, ranker, candidates } = this.match(params, filter, sort, allowedFields);

    const facets = facetNames === null ? null : computeFacets(facetNames, candidates.map((d) => this.records[d]!.doc), settings);

    const maxTotalHits = settings.pagination.maxTotalHits;
    const window = resolveWindow(params, maxTotalHits);
    let total = candidates.length;
    let accept: (doc: number) => boolean = () => true;
    const seen = new Set<string>();
    const kept: number[] = [];
    if (distinctAttr !== null) {
      accept = (doc) => {
        const keys = this.distinctKeys(doc, distinctAttr);
        if (keys.some((key) => seen.has(key))) return false;
        for (const key of keys) seen.add(key);
        kept.push(doc);
        return true;
      };
    }
    const ordered = window.limit === 0 ? [] : bucketSort(ranker, candidates, window.offset + window.limit, accept);
    if (distinctAttr !== null) total = this.distinctTotal(candidates, new Set(kept), seen, distinctAttr, window.pageMode);
    const pageDocs = ordered.slice(window.offset, window.offset + window.limit);
    const hits = pageDocs.map((d) => this.makeHit(d, params, ranker, derivations, parsed));

    const response: SearchResponse = {
      hits,
      query: q,
      processingTimeMs: Math.round(performance.now() - started),
      ...paginationFields(window, params, total),
    };
    if (facets !== null) {
      response.facetDistribution = facets.distribution;
      response.facetStats = facets.stats;
    }
    return response;
  }

  /**
   * The documents a facet search counts: those the search parameters select (q, filter,
   * matchingStrategy, attributesToSearchOn, rankingScoreThreshold), checked as a search checks them.
   */
  matchingDocuments(params: SearchParams): Doc[] {
    const filter = this.parseFilterParam(params.filter, false);
    const allowedFields = this.resolveSearchOn(params.attributesToSearchOn);
    return this.match(params, filter, [], allowedFields).candidates.map((d) => this.records[d]!.doc);
  }

  /** The candidates of a query (words, negatives, filter, ranking score threshold) and their ranker. */
  private match(params: SearchParams, filter: FilterExpr | null, sort: SortRule[], allowedFields: Set<number> | null) {
    const settings = this.settings;
    const parsed = parseQuery(params.q ?? '', this.tokenizer);
    const view = this.view();
    let match: QueryMatch | null = null;
    let derivations: TermDerivations[] = [];
    let candidates: number[];
    if (parsed.terms.length === 0) {
      candidates = [];
      for (let i = 0; i < this.records.length; i++) if (this.records[i] !== undefined) candidates.push(i);
    } else {
      derivations = computeDerivations(parsed, view, settings, this.synonyms);
      match = new QueryMatch(view, derivations, params.matchingStrategy ?? 'last', allowedFields, settings.proximityPrecision === 'byAttribute', settings.rankingRules);
      candidates = match.touched.filter((d) => match!.isCandidate(d));
    }
    candidates = this.excludeNegatives(candidates, parsed, match);
    if (filter !== null) candidates = candidates.filter((d) => matchesFilter(filter, this.records[d]!.doc));

    let rules = compileRules(settings.rankingRules, sort, parsed.terms.length === 0, (f) => this.isDisplayed(f));
    // With `all` every candidate matches every term, and milli drops the words rule altogether
    // (it no longer appears in the score details nor weighs in the score).
    if (params.matchingStrategy === 'all') rules = rules.filter((r) => r.kind !== 'words');
    const ranker = new Ranker(rules, match, (d) => this.records[d]!.doc, view.maxWeight);
    const threshold = params.rankingScoreThreshold;
    if (threshold != null) candidates = candidates.filter((d) => (match === null ? 1 : ranker.score(d)) >= threshold);
    return { parsed, derivations, ranker, candidates };
  }

  /** `reprinted`: a search checks (and echoes) the filter as re-printed; facet search as written. */
  private parseFilterParam(input: SearchParams['filter'], reprinted = true): FilterExpr | null {
    try {
      const expr = parseFilter(input ?? null);
      // Meilisearch 1.50 checks (and echoes in its errors) the filter as it re-prints it.
      if (expr !== null) assertFilterable(reprinted ? parseFilter(printFilter(expr))! : expr, this.settings.filterableAttributes);
      return expr;
    } catch (e) {
      if (e instanceof FilterParseError) throw new SimError('invalid_search_filter', e.message, 400);
      throw e;
    }
  }

  private parseSortParam(input: SearchParams['sort']): SortRule[] {
    if (input == null || input.length === 0) return [];
    try {
      const rules = parseSortRules(input);
      if (!this.settings.rankingRules.includes('sort')) {
        throw new SimError(
          'invalid_search_sort',
          'You must specify where `sort` is listed in the rankingRules setting to use the sort parameter at search time.',
          400,
        );
      }
      assertSortable(rules, this.settings.sortableAttributes);
      return rules;
    } catch (e) {
      if (e instanceof SortParseError) throw new SimError('invalid_search_sort', e.message, 400);
      throw e;
    }
  }

  private resolveSearchOn(attrs: SearchParams['attributesToSearchOn']): Set<number> | null {
    if (attrs == null || attrs.includes('*')) return null;
    const searchable = this.settings.searchableAttributes;
    if (!searchable.includes('*')) {
      for (const a of attrs) {
        if (!searchable.some((s) => isFieldPathUnder(a, s))) {
          const valid = [...new Set(searchable)].sort(compareCodePoints);
          throw new SimError(
            'invalid_search_attributes_to_search_on',
            `Attribute \`${a}\` is not searchable. Available searchable attributes are: \`${valid.join(', ')}\`.`,
            400,
          );
        }
      }
    }
    const allowed = new Set<number>();
    this.fields.paths.forEach((p, i) => {
      if (attrs.some((a) => isFieldPathUnder(p, a))) allowed.add(i);
    });
    return allowed;
  }

  private resolveDistinct(param: SearchParams['distinct']): string | null {
    if (param == null) return this.settings.distinctAttribute;
    if (!isFilterable(param, this.settings.filterableAttributes)) {
      throw new SimError('invalid_search_distinct', distinctNotFilterableMessage(param, this.settings.filterableAttributes), 400);
    }
    return param;
  }

  private distinctKeys(doc: number, attr: string): string[] {
    const keys: string[] = [];
    for (const v of fieldValues(this.records[doc]!.doc, attr)) {
      if (typeof v === 'number' && Number.isFinite(v)) keys.push(`n${v}`);
      else if (typeof v === 'string' || typeof v === 'boolean') keys.push(`s${normalizeFacet(String(v))}`);
    }
    return keys;
  }

  /**
   * The total under distinct, as milli counts it. `kept` are the documents distinct kept in the
   * buckets the bucket sort ranked, `seen` their values. Offset/limit mode estimates: every
   * candidate but those that share a value with a kept document. Page mode is exhaustive: the
   * kept documents, then distinct over the remaining candidates in document-id order (so which
   * documents with several values survive depends on that order; without a value all stay).
   */
  private distinctTotal(candidates: number[], kept: ReadonlySet<number>, seen: Set<string>, attr: string, exhaustive: boolean): number {
    let count = exhaustive ? kept.size : candidates.length;
    for (const d of candidates) {
      if (kept.has(d)) continue;
      const keys = this.distinctKeys(d, attr);
      const shut = keys.some((k) => seen.has(k));
      if (!exhaustive) {
        if (shut) count--;
        continue;
      }
      if (shut) continue;
      for (const k of keys) seen.add(k);
      count++;
    }
    return count;
  }

  /** `-word` and `-"phrase"` remove the documents containing them (exactly, no typo or prefix). */
  private excludeNegatives(candidates: number[], parsed: ParsedQuery, match: QueryMatch | null): number[] {
    if (parsed.negativeWords.length === 0 && parsed.negativePhrases.length === 0) return candidates;
    const excluded = new Set<number>();
    for (const word of parsed.negativeWords) {
      const id = this.vocab.idOf(word);
      const list = id === undefined ? undefined : this.index.list(id);
      if (list === undefined) continue;
      for (let o = 0; o < list.length; o += 3 + list.data[o + 2]!) {
        if (this.records[list.data[o]!]?.version === list.data[o + 1]) excluded.add(list.data[o]!);
      }
    }
    for (const phrase of parsed.negativePhrases) {
      const ids = phrase.map((w) => (w === null ? null : (this.vocab.idOf(w) ?? -1)));
      if (ids.some((w) => w === -1)) continue;
      const probe = match ?? new QueryMatch(this.view(), [], 'last', null, false, []);
      for (const d of candidates) if (probe.phraseOccurrences(d, ids).length > 0) excluded.add(d);
    }
    return candidates.filter((d) => !excluded.has(d));
  }

  private isDisplayed(field: string): boolean {
    const displayed = this.settings.displayedAttributes;
    return displayed.includes('*') || displayed.includes(field);
  }

  private wordMatcher(derivations: TermDerivations[], parsed: ParsedQuery): WordMatcher {
    const exact = new Map<string, number>();
    for (const d of derivations) {
      // Every match of the last (prefix) word, typo ones included, marks at most as many
      // characters as that word has (`dragin` marks `dragon` of `dragonfly`), as milli does.
      const prefixLen = d.term.kind === 'word' && d.term.prefix ? [...d.term.word].length : null;
      for (const w of d.words) {
        const word = this.vocab.words[w.wordId]!;
        const len = prefixLen ?? w.prefixLength ?? Infinity;
        exact.set(word, Math.max(exact.get(word) ?? 0, len));
      }
      if (d.term.kind === 'word') exact.set(d.term.word, Infinity);
      else for (const w of d.term.words) if (w !== null) exact.set(w, Infinity);
    }
    const prefixes = parsed.terms.flatMap((t) => (t.kind === 'word' && t.prefix ? [t.word] : []));
    return (word) => {
      const len = exact.get(word);
      if (len !== undefined) return { length: len };
      for (const p of prefixes) if (word.startsWith(p)) return { length: p.length };
      return null;
    };
  }

  private makeHit(doc: number, params: SearchParams, ranker: Ranker, derivations: TermDerivations[], parsed: ParsedQuery): Doc {
    const source = this.records[doc]!.doc;
    const displayed = selectAttributes(source, this.settings.displayedAttributes);
    const hit: Doc = { ...selectAttributes(displayed, params.attributesToRetrieve ?? ['*']) };
    const highlight = params.attributesToHighlight ?? [];
    const crop = new Map<string, number>();
    for (const spec of params.attributesToCrop ?? []) {
      const colon = spec.lastIndexOf(':');
      const len = colon > 0 ? Number(spec.slice(colon + 1)) : NaN;
      if (Number.isInteger(len) && len >= 0) crop.set(spec.slice(0, colon), len);
      else crop.set(spec, params.cropLength ?? DEFAULT_CROP_LENGTH);
    }
    const needsMatcher = highlight.length > 0 || crop.size > 0 || params.showMatchesPosition === true;
    const matcher: WordMatcher = needsMatcher && derivations.length > 0 ? this.wordMatcher(derivations, parsed) : () => null;
    if (highlight.length > 0 || crop.size > 0) {
      const opts: FormatOptions = {
        highlight,
        crop,
        preTag: params.highlightPreTag ?? '<em>',
        postTag: params.highlightPostTag ?? '</em>',
        cropMarker: params.cropMarker ?? '…',
      };
      hit['_formatted'] = formatDocument(hit, this.tokenizer, matcher, opts);
    }
    if (params.showMatchesPosition === true) hit['_matchesPosition'] = matchesPosition(displayed, this.tokenizer, matcher);
    // Sorting by `_geoPoint(…)` adds `_geoDistance` to hits that retrieve `_geo` and have a point.
    const geoRule = ranker.rules.find((r) => r.kind === 'sort' && r.geoPoint !== undefined);
    if (geoRule !== undefined && geoRule.kind === 'sort' && '_geo' in hit) {
      const point = geoPointOf(source);
      if (point !== null) hit['_geoDistance'] = geoDistance(geoRule.geoPoint!, point);
    }
    if (params.showRankingScore === true) hit['_rankingScore'] = ranker.match === null ? 1 : ranker.score(doc);
    if (params.showRankingScoreDetails === true) hit['_rankingScoreDetails'] = ranker.details(doc);
    return hit;
  }
}
