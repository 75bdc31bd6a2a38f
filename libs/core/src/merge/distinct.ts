import { fieldValues, isFieldPathUnder } from '../query/field-path';
import { normalizeFacet } from '../query/normalize';
import type { Hit } from './ranking';

/**
 * `distinct` across shards. Each node keeps one document per value of the distinct attribute among
 * its own documents; documents sharing a value live on different shards, so the merge keeps the
 * first (best ranked) hit per value too. Merging each node's top `offset+limit` this way gives
 * exactly the global top `offset+limit`: a value's best document is also the best on its node,
 * and every value ranked above it there ranks above it globally, so it is in that node's list.
 */
export interface DistinctOptions {
  readonly attribute: string;
  /** The client's attributesToRetrieve leaves the attribute out: nodes were asked for it, hide it. */
  readonly hide: boolean;
}

/** The distinct attribute a search applies: the request's `distinct`, else the index setting. */
export function distinctAttributeOf(requested: unknown, indexSetting: string | null): string | null {
  return typeof requested === 'string' ? requested : indexSetting;
}

/** Distinct options for a search, or undefined when no distinct attribute applies. */
export function distinctOptions(attribute: string | null, attributesToRetrieve: readonly string[] | null | undefined): DistinctOptions | undefined {
  if (attribute === null) return undefined;
  const hide = attributesToRetrieve != null && !attributesToRetrieve.some((a) => a === '*' || isFieldPathUnder(attribute, a));
  return { attribute, hide };
}

/** A predicate accepting the first hit of each distinct value; hits without a value all pass (as on a node). */
export function firstOfEachValue(attribute: string): (hit: Hit) => boolean {
  const seen = new Set<string>();
  return (hit) => {
    const keys = distinctKeys(hit, attribute);
    if (keys.some((k) => seen.has(k))) return false;
    for (const k of keys) seen.add(k);
    return true;
  };
}

/** Values compared as Meilisearch compares facet values: numbers by value, strings normalised. */
function distinctKeys(hit: Hit, attribute: string): string[] {
  const keys: string[] = [];
  for (const v of fieldValues(hit, attribute)) {
    if (typeof v === 'number' && Number.isFinite(v)) keys.push(`n${v}`);
    else if (typeof v === 'string' || typeof v === 'boolean') keys.push(`s${normalizeFacet(String(v))}`);
  }
  return keys;
}

/** `hit` without the field at dotted `path` (inside nested objects and arrays of objects), key order kept. */
export function withoutField(hit: Hit, path: string): Hit {
  const dot = path.indexOf('.');
  const head = dot < 0 ? path : path.slice(0, dot);
  if (!(head in hit)) return hit;
  const tail = path.slice(dot + 1);
  const strip = (v: unknown): unknown => (typeof v === 'object' && v !== null && !Array.isArray(v) ? withoutField(v as Hit, tail) : v);
  const out: Hit = {};
  for (const key in hit) {
    if (key !== head) out[key] = hit[key];
    else if (dot >= 0) out[key] = Array.isArray(hit[key]) ? (hit[key] as unknown[]).map(strip) : strip(hit[key]);
  }
  return out;
}
