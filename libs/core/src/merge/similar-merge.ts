// GET|POST /indexes/{uid}/similar across shards (docs/api-compatibility.md, similar documents):
// the node holding the reference document answers `/similar` for its shards, the others a vector
// search with the reference document's embedding; every hit carries its `_rankingScore` (the
// same similarity either way), and the answers are merged by it.

import { fieldValues } from '../query';
import { kWayMerge } from './k-way-merge';
import type { Hit } from './ranking';
import { presentHit } from './search-merge';

export interface SimilarNodeAnswer {
  /** Hits by `_rankingScore`, best first, from hit 0 to the client's offset+limit. */
  readonly hits: readonly Hit[];
  readonly estimatedTotalHits?: number;
  readonly processingTimeMs?: number;
}

export interface SimilarMergeOptions {
  readonly offset: number;
  readonly limit: number;
  /** The index's `pagination.maxTotalHits`: the total is capped by it, as one node caps it. */
  readonly maxTotalHits: number;
  readonly showRankingScore: boolean;
  readonly showRankingScoreDetails: boolean;
}

export interface SimilarMerged {
  hits: Hit[];
  estimatedTotalHits: number;
  processingTimeMs: number;
}

const scoreOf = (hit: Hit): number => (typeof hit['_rankingScore'] === 'number' ? hit['_rankingScore'] : -Infinity);

/**
 * One node's answers to several vector searches (a reference document with several embeddings)
 * as one list: each document once, with its best score, best first. Milli's similar search looks
 * for the neighbours of each of the document's vectors and keeps a neighbour's first (best) place.
 */
export function bestPerDocument(lists: readonly (readonly Hit[])[], primaryKey: string): Hit[] {
  if (lists.length === 1) return [...lists[0]!];
  const best = new Map<string, Hit>();
  const unkeyed: Hit[] = [];
  for (const list of lists) {
    for (const hit of list) {
      const id = fieldValues(hit, primaryKey)[0];
      if (id === undefined) {
        unkeyed.push(hit);
        continue;
      }
      const key = JSON.stringify(id);
      const cur = best.get(key);
      if (cur === undefined || scoreOf(hit) > scoreOf(cur)) best.set(key, hit);
    }
  }
  return [...best.values(), ...unkeyed].sort((a, b) => scoreOf(b) - scoreOf(a));
}

/**
 * Merges the nodes' answers (in covering order: the tie order) into the client's page: hits by
 * score, cut at [offset, offset+limit) after the merge; the total summed (each node counts the
 * documents of its shards the filter keeps, the reference document excluded by its own node) and
 * capped at maxTotalHits; processingTimeMs the slowest node's.
 */
export function mergeSimilar(answers: readonly SimilarNodeAnswer[], o: SimilarMergeOptions): SimilarMerged {
  const end = o.offset + o.limit;
  const merged = kWayMerge(
    answers.map((a) => a.hits),
    (a, b) => scoreOf(b) - scoreOf(a),
    end,
  );
  const total = answers.reduce((s, a) => s + (a.estimatedTotalHits ?? 0), 0);
  return {
    hits: merged.slice(o.offset, end).map((h) => presentHit(h, o.showRankingScore, o.showRankingScoreDetails)),
    estimatedTotalHits: Math.min(total, o.maxTotalHits),
    processingTimeMs: answers.reduce((m, a) => Math.max(m, a.processingTimeMs ?? 0), 0),
  };
}
