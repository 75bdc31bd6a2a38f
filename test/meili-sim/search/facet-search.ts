// POST /indexes/{uid}/facet-search as milli's SearchForFacetValues: the string values of one
// facet among the documents the search parameters select, optionally only those matching
// `facetQuery` (a prefix, with typos by its length as for query words), counted per normalized
// value, then kept, ordered and capped by faceting.maxValuesPerFacet / sortFacetValuesBy (the
// same collection Miroir merges shards with, see libs/core/src/merge/facet-search.ts).

import { compareCodePoints, fieldValues, mergeFacetHits, normalizeFacet, type FacetHit } from '@miroir/core';
import { SimError } from '../errors';
import type { Doc, IndexSettings } from './types';
import { Vocabulary } from './vocabulary';

const HIDDEN = '<..hidden-attributes>';

/** Meilisearch 1.50: only an exact filterable name is facet-searchable (patterns are listed, never matched). */
export function assertFacetSearchable(facetName: string, settings: IndexSettings): void {
  const filterable = settings.filterableAttributes;
  if (filterable.includes(facetName)) return;
  const displayed = settings.displayedAttributes;
  const shown = (p: string): boolean => displayed.includes('*') || displayed.includes(p);
  const valid = [...new Set(filterable.filter(shown))].sort(compareCodePoints);
  const hidden = filterable.some((p) => !shown(p));
  const tail = 'To make it facet-searchable add it to the `filterableAttributes` index settings.';
  const list =
    valid.length === 0
      ? `This index does not have configured facet-searchable attributes. ${tail}`
      : `Available facet-searchable attributes patterns are: \`${[...valid, ...(hidden ? [HIDDEN] : [])].join(', ')}\`. ${tail}`;
  throw new SimError('invalid_facet_search_facet_name', `Attribute \`${facetName}\` is not facet-searchable. ${list}`, 400);
}

/** milli's typo budget for a facet query, by its length in bytes. */
function typoBudget(query: string, settings: IndexSettings, facetName: string): number | null {
  const typo = settings.typoTolerance;
  if (!typo.enabled || typo.disableOnAttributes.includes(facetName)) return null;
  if (typo.disableOnWords.some((w) => normalizeFacet(w) === query)) return -1;
  const len = Buffer.byteLength(query);
  if (len < typo.minWordSizeForTypos.oneTypo) return 0;
  return len < typo.minWordSizeForTypos.twoTypos ? 1 : 2;
}

/** The normalized values `facetQuery` selects: a prefix (typos allowed by length), or exactly it. */
function matchingKeys(keys: readonly string[], query: string, settings: IndexSettings, facetName: string): Set<string> {
  const budget = typoBudget(query, settings, facetName);
  if (budget === -1) return new Set(keys.filter((k) => k === query));
  if (budget === null) return new Set(keys.filter((k) => k.startsWith(query)));
  const vocab = new Vocabulary();
  for (const k of keys) vocab.intern(k);
  const out = new Set<string>();
  vocab.forEachWithPrefix(query, (id) => out.add(vocab.words[id]!));
  vocab.forEachTypo(query, budget, true, (id) => out.add(vocab.words[id]!));
  return out;
}

/** The facet hits of `docs` (in internal id order: a value is shown as its first document writes it). */
export function facetSearchHits(docs: readonly Doc[], facetName: string, facetQuery: string | null, settings: IndexSettings): FacetHit[] {
  const counts = new Map<string, { value: string; count: number }>();
  for (const doc of docs) {
    const seen = new Set<string>();
    for (const v of fieldValues(doc, facetName)) {
      if (typeof v !== 'string' && typeof v !== 'boolean') continue;
      const value = typeof v === 'boolean' ? String(v) : v.trim();
      const key = normalizeFacet(value);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      const entry = counts.get(key);
      if (entry) entry.count++;
      else counts.set(key, { value, count: 1 });
    }
  }
  let keys = [...counts.keys()];
  if (facetQuery !== null) {
    const selected = matchingKeys(keys, normalizeFacet(facetQuery), settings, facetName);
    keys = keys.filter((k) => selected.has(k));
  }
  const sortBy = settings.faceting.sortFacetValuesBy[facetName] ?? settings.faceting.sortFacetValuesBy['*'] ?? 'alpha';
  return mergeFacetHits([keys.map((k) => counts.get(k)!)], { maxValues: settings.faceting.maxValuesPerFacet, sortBy });
}
