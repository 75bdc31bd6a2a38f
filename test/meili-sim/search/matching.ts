// Matching a parsed query against the index: each term's derivations (the word itself, prefix
// expansions of the last word, typo variants, synonyms, phrases), then one pass over their postings
// that records, per document and term, what milli's ranking rules need: whether the term matched,
// its fewest typos, the best attribute weight and the best word-position cost. Proximity and
// exactness need several terms at once and are computed lazily, only for the documents the bucket
// sort actually has to split, by scanning that document's token list.

import type { IndexSettings } from './types';
import type { IndexView } from './index-view';
import { POSITION_BITS, POSITION_MASK } from './inverted-index';
import { ParsedQuery, QueryTerm, termSpan } from './query';
import type { Tokenizer } from './tokenizer';

export type MatchingStrategy = 'last' | 'all' | 'frequency';

interface WordDerivation {
  wordId: number;
  typos: number;
  /** The original query word (milli's "exact" term), as opposed to a prefix/typo/synonym. */
  exact: boolean;
  /** Characters of the document word to highlight (prefix matches highlight the prefix only). */
  prefixLength: number | null;
}

interface PhraseDerivation {
  /** Word ids, null for a stop word (wildcard). A phrase with an unknown word matches nothing. */
  words: (number | null)[];
  exact: boolean;
}

export interface TermDerivations {
  term: QueryTerm;
  words: WordDerivation[];
  phrases: PhraseDerivation[];
  /** milli's max_typo_cost: the allowed typos, or 1 for a word that could be split, 0 for phrases. */
  maxTypoCost: number;
  /** Number of query positions the term covers (1, or a phrase's length). */
  positionCount: number;
}

function computeBucketedPosition(relative: number): number {
  if (relative < 16) return relative;
  if (relative < 24) return 24;
  return 2 ** Math.ceil(Math.log2(relative));
}
// Positions are 16-bit, so the bucketing is a table lookup on the hot path.
const BUCKETED = Uint32Array.from({ length: POSITION_MASK + 1 }, (_, i) => computeBucketedPosition(i));

/** milli's bucketed_position: positions lose precision as they grow. */
export function bucketedPosition(relative: number): number {
  return BUCKETED[relative]!;
}

/** milli's position rule cost for a word found `distance` positions from where the query has it. */
export function costFromDistance(distance: number): number {
  if (distance === 0) return 0;
  if (distance === 1) return 1;
  if (distance <= 4) return 2;
  if (distance <= 7) return 3;
  if (distance <= 11) return 4;
  if (distance <= 16) return 5;
  if (distance <= 24) return 6;
  if (distance <= 64) return 7;
  if (distance <= 256) return 8;
  if (distance <= 1024) return 9;
  return 10;
}
export const MAX_POSITION_COST = 10;
/** milli's proximity MAX_DISTANCE: pairs farther than 3 (or in different attributes) cost the most. */
export const PROXIMITY_MAX_DISTANCE = 4;

function allowedTypos(word: string, settings: IndexSettings): number {
  const typo = settings.typoTolerance;
  if (!typo.enabled) return 0;
  if (typo.disableOnWords.some((w) => w.toLowerCase() === word)) return 0;
  if (typo.disableOnNumbers === true && /^\d+$/.test(word)) return 0;
  const len = [...word].length;
  if (len >= typo.minWordSizeForTypos.twoTypos) return 2;
  if (len >= typo.minWordSizeForTypos.oneTypo) return 1;
  return 0;
}

export function computeDerivations(
  parsed: ParsedQuery,
  view: IndexView,
  settings: IndexSettings,
  synonyms: ReadonlyMap<string, string[][]>,
): TermDerivations[] {
  return parsed.terms.map((term): TermDerivations => {
    if (term.kind === 'phrase') {
      const words = term.words.map((w) => (w === null ? null : (view.vocab.idOf(w) ?? -1)));
      return { term, words: [], phrases: [{ words, exact: true }], maxTypoCost: 0, positionCount: term.words.length };
    }
    const seen = new Map<number, WordDerivation>();
    const add = (d: WordDerivation): void => {
      const prev = seen.get(d.wordId);
      if (prev === undefined || d.typos < prev.typos || (d.typos === prev.typos && d.exact && !prev.exact)) seen.set(d.wordId, d);
    };
    const original = view.vocab.idOf(term.word);
    if (original !== undefined) add({ wordId: original, typos: 0, exact: true, prefixLength: null });
    if (term.prefix) {
      const len = term.word.length;
      view.vocab.forEachWithPrefix(term.word, (id) => add({ wordId: id, typos: 0, exact: id === original, prefixLength: id === original ? null : len }));
    }
    const maxTypos = allowedTypos(term.word, settings);
    view.vocab.forEachTypo(term.word, maxTypos, term.prefix, (id, typos) => add({ wordId: id, typos, exact: false, prefixLength: null }));
    const phrases: PhraseDerivation[] = [];
    for (const syn of synonyms.get(term.word) ?? []) {
      if (syn.length === 1) {
        const id = view.vocab.idOf(syn[0]!);
        if (id !== undefined) add({ wordId: id, typos: 0, exact: false, prefixLength: null });
      } else {
        phrases.push({ words: syn.map((w) => view.vocab.idOf(w) ?? -1), exact: false });
      }
    }
    const words = [...seen.values()].sort((a, b) => a.typos - b.typos);
    // Words too short for typos can still be split in two (milli counts that as one typo).
    return { term, words, phrases, maxTypoCost: maxTypos > 0 ? maxTypos : 1, positionCount: 1 };
  });
}

/** Synonyms with keys and values normalised like the text they are compared with. */
export function normalizeSynonyms(synonyms: Record<string, string[]>, tokenizer: Tokenizer): Map<string, string[][]> {
  const toWords = (s: string): string[] => {
    const tokens: import('./tokenizer').Token[] = [];
    tokenizer.tokenize(s, tokens);
    return tokens.map((t) => t.word);
  };
  const out = new Map<string, string[][]>();
  for (const [key, values] of Object.entries(synonyms)) {
    const k = toWords(key);
    // Multi-word keys would need milli's n-gram terms; only single-word keys are supported.
    if (k.length !== 1) continue;
    const list = out.get(k[0]!) ?? [];
    for (const v of values) {
      const words = toWords(v);
      if (words.length > 0 && !(words.length === 1 && words[0] === k[0])) list.push(words);
    }
    out.set(k[0]!, list);
  }
  return out;
}

/** Per-document rule inputs for the terms active in that document (see `activeMask`). */
export interface ScanResult {
  /** Sum of pair costs and the number of pairs (for the proximity rule). */
  proximityCost: number;
  proximityPairs: number;
  /** 3 = an attribute is exactly the query, 2 = an attribute starts with it, 1 = neither. */
  exactAttribute: 1 | 2 | 3;
}


/**
 * The matching state of one search: which documents match which terms, with per (doc, term)
 * aggregates in flat typed arrays indexed by `doc * termCount + term`.
 */
export class QueryMatch {
  readonly termCount: number;
  readonly mask: Uint16Array;
  readonly typo: Uint8Array;
  readonly fid: Uint16Array;
  readonly posCost: Uint8Array;
  readonly exact: Uint8Array;
  /** Documents matching at least one term, ascending. */
  readonly touched: number[] = [];
  /** Number of documents matching each term (for the `frequency` strategy). */
  readonly termFrequency: number[];
  private readonly scans = new Map<number, ScanResult>();
  /** Whether fid/position/proximity/exactness only see the derivations with the fewest typos. */
  readonly restrictToBestTypo: boolean;
  /** Removal order of terms for the words rule (indices into terms, first removed first). */
  readonly removalOrder: number[];
  /** The typo rule's maximum cost under the `all` strategy (see allStrategyTypoMax). */
  readonly allTypoMax: number;
  /** Words inside phrase terms (the words rule counts them). */
  readonly phraseWords: number;

  constructor(
    readonly view: IndexView,
    readonly derivations: TermDerivations[],
    readonly strategy: MatchingStrategy,
    readonly allowedFields: ReadonlySet<number> | null,
    readonly proximityByAttribute: boolean,
    rankingRules: readonly string[],
  ) {
    const t = derivations.length;
    this.termCount = t;
    const cap = view.capacity;
    this.mask = new Uint16Array(cap);
    this.typo = new Uint8Array(cap * t);
    this.fid = new Uint16Array(cap * t);
    this.posCost = new Uint8Array(cap * t);
    this.posByTypo = new Uint8Array(cap * t * 3).fill(0xff);
    this.exact = new Uint8Array(cap * t);
    this.occHead = new Int32Array(cap * t);
    const fields = view.fieldWeights.length;
    this.allowExact = new Uint8Array(fields);
    this.allowTypo = new Uint8Array(fields);
    this.searchedOn = new Uint8Array(fields);
    for (let f = 0; f < fields; f++) {
      const ok = view.fieldWeights[f]! >= 0;
      this.allowExact[f] = ok ? 1 : 0;
      this.allowTypo[f] = ok && !view.typoDisabledFields.has(f) ? 1 : 0;
      this.searchedOn[f] = allowedFields === null || allowedFields.has(f) ? 1 : 0;
    }
    this.termFrequency = new Array<number>(t).fill(0);
    const typoIdx = rankingRules.indexOf('typo');
    this.restrictToBestTypo = typoIdx >= 0;
    for (let term = 0; term < t; term++) this.gatherTerm(term);
    this.touched.sort((a, b) => a - b);
    this.removalOrder = this.computeRemovalOrder();
    this.allTypoMax = strategy === 'all' ? allStrategyTypoMax(derivations) : 0;
    this.phraseWords = derivations.reduce((acc, d) => acc + (d.term.kind === 'phrase' ? d.term.words.filter((w) => w !== null).length : 0), 0);
  }

  /** Per field: may a zero-typo / a typo derivation match there? (hot path, so typed tables) */
  private readonly allowExact: Uint8Array;
  private readonly allowTypo: Uint8Array;
  /**
   * attributesToSearchOn: only these fields make a document match and count for the attribute
   * rule; milli's position, proximity and exactness rules still read every searchable field.
   */
  private readonly searchedOn: Uint8Array;

  private fieldAllowed(field: number, typos: number): boolean {
    return (typos > 0 ? this.allowTypo[field] : this.allowExact[field]) === 1;
  }

  /** Records one occurrence set of `term` in `doc` found through a derivation with `typos`. */
  // Every occurrence found while gathering, as linked lists per (doc, term) in one arena, so that
  // proximity and exactness read a few positions instead of the document's whole token list.
  private occHead: Int32Array;
  private occNext = new Int32Array(1024);
  private occPacked = new Int32Array(1024);
  private occMeta = new Uint8Array(1024);
  private occLength = 0;

  private pushOccurrence(doc: number, term: number, packed: number, typos: number, exact: boolean): void {
    const a = this.occLength++;
    if (a >= this.occPacked.length) {
      const size = this.occPacked.length * 2;
      const grow = <T extends Int32Array | Uint8Array>(old: T, fresh: T): T => {
        fresh.set(old);
        return fresh;
      };
      this.occNext = grow(this.occNext, new Int32Array(size));
      this.occPacked = grow(this.occPacked, new Int32Array(size));
      this.occMeta = grow(this.occMeta, new Uint8Array(size));
    }
    const k = doc * this.termCount + term;
    this.occPacked[a] = packed;
    this.occMeta[a] = typos | (exact ? 0x80 : 0);
    this.occNext[a] = this.occHead[k]!;
    this.occHead[k] = a + 1;
  }

  private record(doc: number, term: number, typos: number, exact: boolean, weight: number, pc: number): void {
    const k = doc * this.termCount + term;
    const bit = 1 << term;
    const m = this.mask[doc]!;
    if ((m & bit) === 0) {
      if (m === 0) this.touched.push(doc);
      this.mask[doc] = m | bit;
      this.termFrequency[term]!++;
      this.typo[k] = typos;
      this.fid[k] = weight;
      this.posCost[k] = pc;
      this.exact[k] = exact ? 1 : 0;
      return;
    }
    if (typos < this.typo[k]!) {
      this.typo[k] = typos;
      this.fid[k] = weight;
      this.posCost[k] = pc;
    } else if (typos === this.typo[k] || !this.restrictToBestTypo) {
      if (weight < this.fid[k]!) this.fid[k] = weight;
      if (pc < this.posCost[k]!) this.posCost[k] = pc;
    }
    if (exact) this.exact[k] = 1;
  }

  private gatherTerm(term: number): void {
    const d = this.derivations[term]!;
    const queryPos = d.term.position;
    const weights = this.view.fieldWeights;
    // Zero-typo words first, then phrases (also zero typo), then typo variants: the first
    // derivation that reaches a document gives its fewest typos.
    const zero = d.words.filter((w) => w.typos === 0);
    const rest = d.words.filter((w) => w.typos > 0);
    const visitWords = (list: WordDerivation[]): void => {
      for (const w of list) {
        const postings = this.view.index.list(w.wordId);
        if (postings === undefined) continue;
        const data = postings.data;
        const records = this.view.records;
        for (let o = 0; o < postings.length; ) {
          const doc = data[o]!;
          const version = data[o + 1]!;
          const count = data[o + 2]!;
          const start = o + 3;
          o = start + count;
          if (docVersionOf(records, doc) !== version) continue;
          let bestW = 0xffff;
          let bestPc = 0xff;
          for (let i = start; i < start + count; i++) {
            const packed = data[i]!;
            const field = packed >>> POSITION_BITS;
            if (!this.fieldAllowed(field, w.typos)) continue;
            const weight = weights[field]!;
            if (weight < bestW && this.searchedOn[field] === 1) bestW = weight;
            const pc = costFromDistance(Math.abs(bucketedPosition(packed & POSITION_MASK) - queryPos));
            if (pc < bestPc) bestPc = pc;
          }
          if (bestPc === 0xff) continue;
          this.notePosition(doc, term, w.typos, bestPc);
          for (let i = start; i < start + count; i++) {
            const packed = data[i]!;
            if (this.fieldAllowed(packed >>> POSITION_BITS, w.typos)) this.pushOccurrence(doc, term, packed, w.typos, w.exact);
          }
          // Found only outside attributesToSearchOn: ranks, but does not make the document match.
          if (bestW !== 0xffff) this.record(doc, term, w.typos, w.exact, bestW, bestPc);
        }
      }
    };
    visitWords(zero);
    for (const phrase of d.phrases) this.gatherPhrase(term, phrase, queryPos);
    visitWords(rest);
  }

  private gatherPhrase(term: number, phrase: PhraseDerivation, queryPos: number): void {
    const ids = phrase.words.filter((w): w is number => w !== null);
    if (ids.length === 0 || ids.some((w) => w < 0)) return;
    // Candidates: documents holding the rarest word of the phrase; then verify by scanning.
    let rarest = ids[0]!;
    for (const id of ids) if ((this.view.index.list(id)?.live ?? 0) < (this.view.index.list(rarest)?.live ?? 0)) rarest = id;
    const postings = this.view.index.list(rarest);
    if (postings === undefined) return;
    const seen = new Set<number>();
    for (let o = 0; o < postings.length; ) {
      const doc = postings.data[o]!;
      const version = postings.data[o + 1]!;
      o += 3 + postings.data[o + 2]!;
      if (seen.has(doc) || docVersionOf(this.view.records, doc) !== version) continue;
      seen.add(doc);
      let bestW = 0xffff;
      let bestPc = 0xff;
      for (const packed of this.phraseOccurrences(doc, phrase.words)) {
        const field = packed >>> POSITION_BITS;
        if (!this.fieldAllowed(field, 0)) continue;
        this.pushOccurrence(doc, term, packed, 0, phrase.exact);
        if (this.searchedOn[field] === 1) bestW = Math.min(bestW, this.view.fieldWeights[field]!);
        bestPc = Math.min(bestPc, costFromDistance(Math.abs(bucketedPosition(packed & POSITION_MASK) - queryPos)));
      }
      if (bestW === 0xffff) continue;
      // milli ranks a phrase's attribute and position by its first word wherever that word
      // occurs in the document, not where the phrase itself is (an approximation milli makes).
      const first = phrase.words.find((w): w is number => w !== null)!;
      const rec = this.view.records[doc]!;
      for (let i = 0; i < rec.words.length; i++) {
        if (rec.words[i] !== first) continue;
        const packed = rec.positions[i]!;
        const field = packed >>> POSITION_BITS;
        if (!this.fieldAllowed(field, 0)) continue;
        if (this.searchedOn[field] === 1) bestW = Math.min(bestW, this.view.fieldWeights[field]!);
        bestPc = Math.min(bestPc, costFromDistance(Math.abs(bucketedPosition(packed & POSITION_MASK) - queryPos)));
      }
      this.notePosition(doc, term, 0, bestPc);
      this.record(doc, term, 0, phrase.exact, bestW, bestPc);
    }
  }

  /** Best position cost of `term` in `doc` per typo count, over every searchable field. */
  private readonly posByTypo: Uint8Array;

  private notePosition(doc: number, term: number, typos: number, pc: number): void {
    const k = (doc * this.termCount + term) * 3 + Math.min(typos, 2);
    if (pc < this.posByTypo[k]!) this.posByTypo[k] = pc;
  }

  /**
   * The position rule's cost for `term` in `doc`: its best position among the derivations the typo
   * rule kept (those with the document's fewest typos when that rule runs), in any searchable
   * field — milli's position rule ignores attributesToSearchOn.
   */
  positionCost(doc: number, term: number): number {
    const k = (doc * this.termCount + term) * 3;
    if (this.restrictToBestTypo) return this.posByTypo[k + Math.min(this.typo[doc * this.termCount + term]!, 2)]!;
    return Math.min(this.posByTypo[k]!, this.posByTypo[k + 1]!, this.posByTypo[k + 2]!);
  }

  /** Packed start positions of `words` as consecutive words of one attribute of `doc`. */
  phraseOccurrences(doc: number, words: (number | null)[]): number[] {
    const rec = this.view.records[doc];
    if (rec === undefined) return [];
    const out: number[] = [];
    const n = rec.words.length;
    const first = words.findIndex((w) => w !== null);
    if (first < 0) return out;
    for (let i = 0; i < n; i++) {
      if (rec.words[i] !== words[first]) continue;
      const startPacked = rec.positions[i]! - first;
      let ok = true;
      for (let j = 0; j < words.length && ok; j++) {
        const want = words[j];
        if (want === null || j === first) continue;
        const idx = i + (j - first);
        ok = idx >= 0 && idx < n && rec.words[idx] === want && rec.positions[idx] === startPacked + j;
      }
      if (ok) out.push(startPacked);
    }
    return out;
  }

  private computeRemovalOrder(): number[] {
    const n = this.termCount;
    const order = Array.from({ length: n }, (_, i) => n - 1 - i);
    if (this.strategy === 'frequency') {
      // Most frequent terms are dropped first (ties: the later term first, like `last`).
      order.sort((a, b) => this.termFrequency[b]! - this.termFrequency[a]! || b - a);
    }
    return order.slice(0, Math.max(0, n - 1));
  }

  /**
   * Terms kept for `doc` by the words rule: a bit mask in the low 16 bits, the number of terms
   * removed above them (packed to keep the bucket sort allocation-free).
   */
  activeMask(doc: number): number {
    const full = (1 << this.termCount) - 1;
    const m = this.mask[doc]!;
    if (this.strategy === 'all') return full;
    let keep = full;
    for (let removed = 0; ; removed++) {
      if ((m & keep) === keep || removed >= this.removalOrder.length) return keep | (removed << 16);
      keep &= ~(1 << this.removalOrder[removed]!);
    }
  }

  /** Whether `doc` is in the universe of the words rule (matches the maximally reduced query). */
  isCandidate(doc: number): boolean {
    const m = this.mask[doc]!;
    const full = (1 << this.termCount) - 1;
    if (this.strategy === 'all') return m === full;
    let keep = full;
    for (const t of this.removalOrder) keep &= ~(1 << t);
    return (m & keep) === keep;
  }

  /** Proximity and exact-attribute inputs for `doc`, computed from its token list once. */
  scan(doc: number): ScanResult {
    const cached = this.scans.get(doc);
    if (cached !== undefined) return cached;
    const result = this.computeScan(doc);
    this.scans.set(doc, result);
    return result;
  }

  private readonly pairPlans = new Map<number, PairPlan>();

  private pairPlan(active: number): PairPlan {
    let plan = this.pairPlans.get(active);
    if (plan === undefined) {
      plan = this.buildPairPlan(active);
      this.pairPlans.set(active, plan);
    }
    return plan;
  }

  private buildPairPlan(active: number): PairPlan {
    const t = this.termCount;
    const terms = this.derivations.map((d) => d.term);
    // Proximity pairs: consecutive active terms that are adjacent in the query.
    const activeList: number[] = [];
    for (let i = 0; i < t; i++) if (active & (1 << i)) activeList.push(i);
    const pairAfter = new Int32Array(t).fill(-1); // term -> pair (term, next active)
    const pairBefore = new Int32Array(t).fill(-1); // term -> pair (previous active, term)
    const prevActive = new Int32Array(t).fill(-1);
    const nextActive = new Int32Array(t).fill(-1);
    let pairs = 0;
    for (let i = 0; i + 1 < activeList.length; i++) {
      const a = activeList[i]!;
      const b = activeList[i + 1]!;
      prevActive[b] = a;
      nextActive[a] = b;
      if (termSpan(terms[a]!)[1] + 1 === termSpan(terms[b]!)[0]) {
        pairAfter[a] = pairs;
        pairBefore[b] = pairs;
        pairs++;
      }
    }
    const queryBucket = Int32Array.from(terms, (term) => bucketedPosition(term.position));
    let countAllPositions = 0;
    for (const term of activeList) countAllPositions += this.derivations[term]!.positionCount;
    const contiguous = activeList.length > 0 && activeList.every((term, i) => term === i);
    // Proximity measures from a phrase's last word (milli pairs the last word of the left term
    // with the first word of the right one); occurrences record a phrase's start.
    const endOffset = Int32Array.from(terms, (term) => (term.kind === 'phrase' ? term.words.findLastIndex((w) => w !== null) : 0));
    return { activeList, pairAfter, pairBefore, prevActive, nextActive, pairs, queryBucket, countAllPositions, contiguous, endOffset };
  }

  private computeScan(doc: number): ScanResult {
    const rec = this.view.records[doc]!;
    const active = this.activeMask(doc) & 0xffff;
    const t = this.termCount;
    const { activeList, pairAfter, pairBefore, prevActive, nextActive, pairs, queryBucket, countAllPositions, contiguous, endOffset } = this.pairPlan(active);
    const bestProx = new Int32Array(pairs).fill(PROXIMITY_MAX_DISTANCE);
    const lastPacked = new Int32Array(t).fill(-1);
    let exactAtQueryPos = 0;
    const fieldMask = new Map<number, number>();
    const byAttribute = this.proximityByAttribute;

    // The occurrences of the active terms (restricted to their fewest-typo derivations when the
    // typo rule narrowed them), in attribute/position order.
    const base = doc * t;
    // One sortable number per occurrence: packed position, then term, then exact flag (exact sorts
    // after its non-exact duplicate so that the flag survives deduplication).
    const events: number[] = [];
    for (const term of activeList) {
      const best = this.typo[base + term]!;
      for (let a = this.occHead[base + term]!; a !== 0; a = this.occNext[a - 1]!) {
        const meta = this.occMeta[a - 1]!;
        if (this.restrictToBestTypo && (meta & 0x7f) !== best) continue;
        events.push(this.occPacked[a - 1]! * 32 + term * 2 + (meta & 0x80 ? 1 : 0));
      }
    }
    events.sort((x, y) => x - y);
    for (let i = 0; i < events.length; i++) {
      const key = events[i]!;
      const next = events[i + 1];
      if (next !== undefined && next - (next % 2) === key - (key % 2)) continue; // same occurrence, keep the exact one
      const exact = key % 2 === 1;
      const term = ((key % 32) - (key % 2)) / 2;
      const packed = (key - (key % 32)) / 32;
      const field = packed >>> POSITION_BITS;
      const pos = packed & POSITION_MASK;
      const pb = pairBefore[term]!;
      if (pb >= 0) {
        const prev = lastPacked[prevActive[term]!]!;
        if (prev >= 0 && prev >>> POSITION_BITS === field) {
          const d = byAttribute ? 1 : pos - ((prev & POSITION_MASK) + endOffset[prevActive[term]!]!);
          if (d > 0 && d < bestProx[pb]!) bestProx[pb] = d;
        }
      }
      const pa = pairAfter[term]!;
      if (pa >= 0) {
        const next = lastPacked[nextActive[term]!]!;
        if (next >= 0 && next >>> POSITION_BITS === field) {
          const d = byAttribute ? 1 : pos + endOffset[term]! - (next & POSITION_MASK) + 1;
          if (d > 0 && d < bestProx[pa]!) bestProx[pa] = d;
        }
      }
      lastPacked[term] = packed;
      if (exact) {
        // The query-position test reads every field; the attribute that must hold all the words
        // is one of attributesToSearchOn.
        if (BUCKETED[pos] === queryBucket[term]) exactAtQueryPos |= 1 << term;
        if (this.searchedOn[field] === 1) fieldMask.set(field, (fieldMask.get(field) ?? 0) | (1 << term));
      }
    }

    let proximityCost = 0;
    for (let i = 0; i < pairs; i++) proximityCost += Math.min(bestProx[i]!, PROXIMITY_MAX_DISTANCE) - 1;

    // milli's ExactAttribute: no hole in the remaining query, every term's exact word at its query
    // position in some attribute, and one attribute holding all of them (exact if it has no other word).
    // (milli skips a term whose own word is nowhere in the index, e.g. a half-typed `knig`; that
    // depends on the other documents, which scores here must not: see docs/meili-sim.md.)
    let exactAttribute: 1 | 2 | 3 = 1;
    if (contiguous && (exactAtQueryPos & active) === active) {
      for (const [field, m] of fieldMask) {
        if ((m & active) !== active) continue;
        if (fieldWordCount(rec.fieldCounts, field) === countAllPositions) {
          exactAttribute = 3;
          break;
        }
        exactAttribute = 2;
      }
    }
    return { proximityCost, proximityPairs: pairs, exactAttribute };
  }
}

interface PairPlan {
  activeList: number[];
  pairAfter: Int32Array;
  pairBefore: Int32Array;
  prevActive: Int32Array;
  nextActive: Int32Array;
  pairs: number;
  queryBucket: Int32Array;
  countAllPositions: number;
  contiguous: boolean;
  endOffset: Int32Array;
}

function fieldWordCount(counts: Int32Array, field: number): number {
  for (let i = 0; i < counts.length; i += 2) if (counts[i] === field) return counts[i + 1]!;
  return 0;
}

function docVersionOf(records: IndexView['records'], doc: number): number {
  return records[doc]?.version ?? -1;
}

/**
 * Under the `all` strategy milli has no words rule, and its typo graph also holds the n-grams of
 * adjacent words (2- and 3-word concatenations), whose possible edges cost their span minus one
 * plus two typos; the maximum is the costliest segmentation of the query. Measured against
 * Meilisearch 1.50 (e.g. two short words: 3, four words: 6).
 */
function allStrategyTypoMax(derivations: readonly TermDerivations[]): number {
  const n = derivations.length;
  const best = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    best[i] = best[i - 1]! + derivations[i - 1]!.maxTypoCost;
    for (let span = 2; span <= 3 && span <= i; span++) {
      const words = derivations.slice(i - span, i);
      if (words.some((d) => d.term.kind !== 'word')) continue;
      best[i] = Math.max(best[i]!, best[i - span]! + (span - 1) + 2);
    }
  }
  return best[n]!;
}
