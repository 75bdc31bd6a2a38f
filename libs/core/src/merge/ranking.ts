// How hits from different nodes are ordered against each other (docs/design.md#read-path).
//
// Without `sort`: `_rankingScore` descending. With `sort`, nodes are asked for
// `_rankingScoreDetails`, and hits are compared rule by rule in the index's ranking-rule order —
// relevancy rules by their score, sort rules by their value with Meilisearch's value order — which
// is how Meilisearch itself merges federated results. When details are missing the sort fields
// are read from the documents, then `_rankingScore` decides. Remaining ties are broken by the
// merge: node order, then position.

import { SortDirection, SortRule, compareDocsBySort, compareSortValues } from '../query';

export type Hit = Record<string, unknown>;

type RuleValue =
  | { readonly kind: 'score'; readonly score: number }
  | { readonly kind: 'sort'; readonly value: unknown; readonly direction: SortDirection }
  | { readonly kind: 'geo'; readonly distance: number | null; readonly direction: SortDirection };

export interface RankedHit {
  readonly hit: Hit;
  readonly score: number;
  /** Per ranking rule, in rule order; null when the hit carries no score details. */
  readonly rules: readonly RuleValue[] | null;
}

function record(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** The ranking-rule names of a score-details object, in the order the node applied them. */
export function ruleOrder(details: unknown): string[] {
  const d = record(details);
  if (d === null) return [];
  return Object.keys(d)
    .filter((k) => typeof record(d[k])?.['order'] === 'number')
    .sort((a, b) => (record(d[a])!['order'] as number) - (record(d[b])!['order'] as number));
}

function ruleValue(name: string, entry: Record<string, unknown> | null): RuleValue | null {
  if (entry === null) return null;
  const direction: SortDirection = name.endsWith(':desc') ? 'desc' : 'asc';
  if (name.startsWith('_geoPoint(')) {
    const d = entry['distance'];
    return { kind: 'geo', distance: typeof d === 'number' ? d : null, direction };
  }
  if ('value' in entry && (name.endsWith(':asc') || name.endsWith(':desc'))) {
    const v = entry['value'];
    return { kind: 'sort', value: v === '<hidden>' ? undefined : v, direction };
  }
  const s = entry['score'] ?? entry['similarity'];
  return typeof s === 'number' ? { kind: 'score', score: s } : null;
}

/** Reads what ranking needs from a hit once, so comparisons do no lookups. */
export function rankHit(hit: Hit, rules: readonly string[]): RankedHit {
  const s = hit['_rankingScore'];
  const score = typeof s === 'number' ? s : -Infinity;
  const details = record(hit['_rankingScoreDetails']);
  if (details === null || rules.length === 0) return { hit, score, rules: null };
  const values: RuleValue[] = [];
  for (const name of rules) {
    const v = ruleValue(name, record(details[name]));
    if (v !== null) values.push(v);
  }
  return { hit, score, rules: values.length === rules.length ? values : null };
}

function compareRule(a: RuleValue, b: RuleValue): number {
  if (a.kind === 'score' && b.kind === 'score') return b.score - a.score;
  if (a.kind === 'sort' && b.kind === 'sort') return compareSortValues(a.value, b.value, a.direction);
  if (a.kind === 'geo' && b.kind === 'geo') {
    if (a.distance === null || b.distance === null) return a.distance === b.distance ? 0 : a.distance === null ? 1 : -1;
    const c = a.distance - b.distance;
    return a.direction === 'asc' ? c : -c;
  }
  return 0;
}

/** Negative when `a` ranks before `b`. */
export function compareRanked(sortRules: readonly SortRule[]): (a: RankedHit, b: RankedHit) => number {
  return (a, b) => {
    if (sortRules.length > 0) {
      if (a.rules !== null && b.rules !== null && a.rules.length === b.rules.length) {
        for (let i = 0; i < a.rules.length; i++) {
          const c = compareRule(a.rules[i]!, b.rules[i]!);
          if (c !== 0) return c;
        }
      } else {
        const c = compareDocsBySort(a.hit, b.hit, sortRules);
        if (c !== 0) return c;
      }
    }
    return b.score - a.score;
  };
}
