// Ranking rules and milli's bucket sort. Each rule gives a document a Rank {rank, maxRank} (or, for
// sort rules, a value); documents are ordered rule by rule, the next rule only splitting the
// buckets the requested page actually reaches; final ties go by internal document id. Ranks follow
// milli's graph-based rules (words, typo, proximity, fid/position, exactness), with maxima derived
// from the query alone so that a document's score never depends on the rest of the index.

import { compareSortValues, fieldValues, geoPointOf, haversineMeters, normalizeFacet, type SortDirection, type SortRule } from './core-query';
import { MAX_POSITION_COST, QueryMatch } from './matching';
import type { Doc } from './types';

export interface Rank {
  rank: number;
  max: number;
}

export type Rule =
  | { kind: 'words' }
  | { kind: 'typo' }
  | { kind: 'proximity' }
  | { kind: 'fid'; unified: boolean }
  | { kind: 'position'; unified: boolean }
  | { kind: 'exactAttribute' }
  | { kind: 'exactWords' }
  | { kind: 'sort'; field: string; direction: SortDirection; geoPoint?: readonly [number, number]; redacted: boolean };

export type SortRuleOf = Extract<Rule, { kind: 'sort' }>;

const CUSTOM_RULE = /^(.+):(asc|desc)$/;

/**
 * The rule list of one search, as milli's `get_ranking_rules_for_*`: duplicates are skipped, the
 * `sort` rule expands to the query's sort expressions (nothing without them), a placeholder search
 * keeps only sort and custom asc/desc rules.
 */
export function compileRules(
  rankingRules: readonly string[],
  querySort: readonly SortRule[],
  placeholder: boolean,
  isDisplayed: (field: string) => boolean,
): Rule[] {
  const rules: Rule[] = [];
  const seen = new Set<string>();
  const sorted = new Set<string>();
  const pushSort = (field: string, direction: SortDirection, geoPoint?: readonly [number, number]): void => {
    const key = geoPoint ? `_geoPoint(${geoPoint[0]}, ${geoPoint[1]})` : field;
    if (sorted.has(key)) return;
    sorted.add(key);
    rules.push({ kind: 'sort', field, direction, ...(geoPoint ? { geoPoint } : {}), redacted: !geoPoint && !isDisplayed(field) });
  };
  for (const name of rankingRules) {
    const custom = CUSTOM_RULE.exec(name);
    if (custom !== null && !['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'].includes(name)) {
      pushSort(custom[1]!, custom[2] as SortDirection);
      continue;
    }
    if (seen.has(name)) continue;
    seen.add(name);
    if (name === 'sort') {
      for (const r of querySort) pushSort(r.field, r.direction, r.geoPoint);
      continue;
    }
    if (placeholder) continue;
    switch (name) {
      case 'words':
      case 'typo':
      case 'proximity':
        rules.push({ kind: name });
        break;
      case 'attribute':
        rules.push({ kind: 'fid', unified: true }, { kind: 'position', unified: true });
        break;
      case 'attributeRank':
        rules.push({ kind: 'fid', unified: false });
        break;
      case 'wordPosition':
        rules.push({ kind: 'position', unified: false });
        break;
      case 'exactness':
        rules.push({ kind: 'exactAttribute' }, { kind: 'exactWords' });
        break;
      default:
        break;
    }
  }
  return rules;
}

/** milli's Rank::merge fold: the mixed-radix combination of ranks, in [0, 1]. */
export function globalScore(ranks: readonly Rank[]): number {
  let rank = 1;
  let max = 1;
  for (const r of ranks) {
    rank = Math.max(rank - 1, 0) * r.max + r.rank;
    max *= r.max;
  }
  return rank / max;
}

export interface SortValue {
  /** The document's value for this rule (what milli reports in the score details). */
  value: unknown;
  /** For `_geoPoint` rules. */
  point?: [number, number] | null;
  distance?: number | null;
}

/** The per-document rank or value of each rule of one search. */
export class Ranker {
  private readonly sortCache: Array<Map<number, SortValue>>;

  constructor(
    readonly rules: readonly Rule[],
    readonly match: QueryMatch | null,
    private readonly docOf: (doc: number) => Doc,
    private readonly maxWeight: number,
  ) {
    this.sortCache = rules.map(() => new Map());
  }

  rank(doc: number, ruleIdx: number): Rank {
    const rule = this.rules[ruleIdx]!;
    const m = this.match!;
    const t = m.termCount;
    const packedActive = m.activeMask(doc);
    const active = packedActive & 0xffff;
    const removed = packedActive >>> 16;
    let sum = 0;
    let max = 0;
    let count = 0;
    switch (rule.kind) {
      case 'words': {
        // next_max_cost of milli's words graph: 1 + (words in phrases - 1) + removable terms.
        const base = 1 + Math.max(0, m.phraseWords - 1);
        if (m.strategy === 'all') return { rank: base, max: base };
        const total = base + Math.max(0, t - 1);
        return { rank: total - removed, max: total };
      }
      case 'typo':
        for (let i = 0; i < t; i++) {
          if ((active & (1 << i)) === 0) continue;
          sum += m.typo[doc * t + i]!;
          max += m.derivations[i]!.maxTypoCost;
        }
        if (m.strategy === 'all') max = m.allTypoMax;
        return { rank: max + 1 - sum, max: max + 1 };
      case 'proximity': {
        if ((active & (active - 1)) === 0) return { rank: 1, max: 1 }; // a single term has no pair
        const s = m.scan(doc);
        const maxCost = (4 - 1) * s.proximityPairs;
        return { rank: maxCost + 1 - s.proximityCost, max: maxCost + 1 };
      }
      case 'fid':
        for (let i = 0; i < t; i++) {
          if ((active & (1 << i)) === 0) continue;
          sum += m.fid[doc * t + i]!;
          count++;
        }
        return { rank: count * this.maxWeight + 1 - sum, max: count * this.maxWeight + 1 };
      case 'position':
        for (let i = 0; i < t; i++) {
          if ((active & (1 << i)) === 0) continue;
          sum += m.positionCost(doc, i);
          count++;
        }
        return { rank: count * MAX_POSITION_COST + 1 - sum, max: count * MAX_POSITION_COST + 1 };
      case 'exactAttribute':
        return { rank: m.scan(doc).exactAttribute, max: 3 };
      case 'exactWords':
        for (let i = 0; i < t; i++) {
          if ((active & (1 << i)) === 0) continue;
          sum += m.exact[doc * t + i]!;
          count++;
        }
        return { rank: sum + 1, max: count + 1 };
      case 'sort':
        throw new Error('sort rules have values, not ranks');
    }
  }

  sortValue(doc: number, ruleIdx: number): SortValue {
    const cache = this.sortCache[ruleIdx]!;
    let v = cache.get(doc);
    if (v === undefined) {
      v = this.computeSortValue(doc, this.rules[ruleIdx] as SortRuleOf);
      cache.set(doc, v);
    }
    return v;
  }

  private computeSortValue(doc: number, rule: SortRuleOf): SortValue {
    const d = this.docOf(doc);
    if (rule.geoPoint) {
      const point = geoPointOf(d);
      const distance = point === null ? null : haversineMeters(rule.geoPoint, point);
      return { value: distance, point, distance };
    }
    // The document sorts at its best value for the direction (numbers before strings).
    let best: unknown = undefined;
    for (const v of fieldValues(d, rule.field)) {
      const usable = (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v !== '') || typeof v === 'boolean';
      if (!usable) continue;
      if (best === undefined || compareSortValues(v, best, rule.direction) < 0) best = v;
    }
    if (best === undefined) return { value: null };
    if (typeof best === 'string') return { value: normalizeFacet(best) };
    if (typeof best === 'boolean') return { value: String(best) };
    return { value: best };
  }

  compareSort(a: number, b: number, ruleIdx: number): number {
    const rule = this.rules[ruleIdx] as SortRuleOf;
    const va = this.sortValue(a, ruleIdx).value;
    const vb = this.sortValue(b, ruleIdx).value;
    if (rule.geoPoint) {
      // Documents without a point come last; nearest first when ascending.
      if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1;
      const diff = (va as number) - (vb as number);
      return rule.direction === 'asc' ? diff : -diff;
    }
    return compareSortValues(va ?? undefined, vb ?? undefined, rule.direction);
  }

  /** The ranks of the non-sort rules, in order (the input of the global score). */
  ranks(doc: number): Rank[] {
    const out: Rank[] = [];
    for (let i = 0; i < this.rules.length; i++) if (this.rules[i]!.kind !== 'sort') out.push(this.rank(doc, i));
    return out;
  }

  score(doc: number): number {
    return globalScore(this.ranks(doc));
  }

  /** `_rankingScoreDetails` exactly as milli's ScoreDetails::to_json_map shapes it. */
  details(doc: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let order = 0;
    let fidRank: Rank | null = null;
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i]!;
      if (rule.kind === 'sort') {
        const v = this.sortValue(doc, i);
        if (rule.geoPoint) {
          out[`_geoPoint(${rule.geoPoint[0]}, ${rule.geoPoint[1]}):${rule.direction}`] = {
            order,
            value: v.point ? { lat: v.point[0], lng: v.point[1] } : null,
            distance: v.distance ?? null,
          };
        } else if (rule.redacted) {
          out[`<hidden-rule-${order}>`] = { order, value: '<hidden>' };
        } else {
          out[`${rule.field}:${rule.direction}`] = { order, value: v.value };
        }
        order++;
        continue;
      }
      const r = this.rank(doc, i);
      const local = r.rank / r.max;
      switch (rule.kind) {
        case 'words':
          out['words'] = { order, matchingWords: r.rank, maxMatchingWords: r.max, score: local };
          order++;
          break;
        case 'typo':
          out['typo'] = { order, typoCount: r.max - r.rank, maxTypoCount: r.max - 1, score: local };
          order++;
          break;
        case 'proximity':
          out['proximity'] = { order, score: local };
          order++;
          break;
        case 'fid':
          if (rule.unified) {
            fidRank = r;
            out['attribute'] = { order, attributeRankingOrderScore: local };
          } else {
            out['attributeRank'] = { order, score: local };
          }
          order++;
          break;
        case 'position':
          if (rule.unified && fidRank !== null) {
            const attr = out['attribute'] as Record<string, unknown>;
            attr['queryWordDistanceScore'] = local;
            attr['score'] = globalScore([fidRank, r]);
          } else {
            out['wordPosition'] = { order, score: local };
            order++;
          }
          break;
        case 'exactAttribute':
          out['exactness'] = { order, matchType: r.rank === 3 ? 'exactMatch' : r.rank === 2 ? 'matchesStart' : 'noExactMatch', score: local };
          order++;
          break;
        case 'exactWords': {
          const ex = out['exactness'] as Record<string, unknown> | undefined;
          if (ex !== undefined && ex['matchType'] === 'noExactMatch') {
            delete ex['score'];
            ex['matchingWords'] = r.rank - 1;
            ex['maxMatchingWords'] = r.max - 1;
            ex['score'] = globalScore([{ rank: 1, max: 3 }, r]);
          }
          break;
        }
      }
    }
    return out;
  }
}

/**
 * milli's bucket sort: appends to `out` the first `needed` documents of `docs` (ascending ids) in
 * ranking order. `accept` applies distinct (a refused document does not count).
 */
export function bucketSort(ranker: Ranker, docs: number[], needed: number, accept: (doc: number) => boolean): number[] {
  const out: number[] = [];
  const visit = (bucket: number[], ruleIdx: number): void => {
    if (out.length >= needed || bucket.length === 0) return;
    if (ruleIdx >= ranker.rules.length || bucket.length === 1) {
      // milli applies distinct to a whole final bucket before taking what the page needs, so
      // every document of the bucket is offered to `accept` (it decides what distinct excludes).
      for (const doc of bucket) {
        if (accept(doc) && out.length < needed) out.push(doc);
      }
      return;
    }
    const rule = ranker.rules[ruleIdx]!;
    if (rule.kind === 'sort') {
      const sorted = [...bucket].sort((a, b) => ranker.compareSort(a, b, ruleIdx) || a - b);
      let start = 0;
      for (let i = 1; i <= sorted.length; i++) {
        if (i === sorted.length || ranker.compareSort(sorted[start]!, sorted[i]!, ruleIdx) !== 0) {
          visit(sorted.slice(start, i), ruleIdx + 1);
          if (out.length >= needed) return;
          start = i;
        }
      }
      return;
    }
    // Group by the rule's local score (within one bucket every document has the same maximum).
    const groups = new Map<number, number[]>();
    for (const doc of bucket) {
      const r = ranker.rank(doc, ruleIdx);
      const key = r.rank / r.max;
      const g = groups.get(key);
      if (g === undefined) groups.set(key, [doc]);
      else g.push(doc);
    }
    const keys = [...groups.keys()].sort((a, b) => b - a);
    for (const key of keys) {
      visit(groups.get(key)!, ruleIdx + 1);
      if (out.length >= needed) return;
    }
  };
  visit(docs, 0);
  return out;
}
