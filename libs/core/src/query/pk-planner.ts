// The primary-key planner: when a filter can only match documents whose primary key is one of a
// few values, only the shards owning those keys need to be asked (docs/design.md#read-path).
//
// Soundness, not just the obvious case: Meilisearch compares strings in normalised form, so
// `id = abc` also matches the documents "ABC" and "aBc", and numbers numerically, so `id = 1.0`
// and `id = 01` match the document 1. Document ids are integers or strings of [a-zA-Z0-9_-], so
// the candidates of a value are every ASCII case variant of its normalised form plus, when it
// parses to an integer, that integer in decimal. When there would be too many candidates the
// planner gives up (undefined = ask every shard).

import type { FilterExpr, Token } from './filter-ast';
import { normalizeFacet, parseFiniteFloat } from './normalize';

/** Above this many candidate keys the planner answers "all shards". */
export const MAX_PINNED_KEYS = 1024;

const DOCUMENT_ID = /^[a-z0-9_-]+$/;

/** Every primary key a document can have and still match `pk = value`; null when too many. */
export function candidateKeys(value: string): string[] | null {
  const out = new Set<string>();
  const normalized = normalizeFacet(value);
  if (normalized.length <= 511 && DOCUMENT_ID.test(normalized)) {
    const letters = [...normalized].filter((c) => c >= 'a' && c <= 'z').length;
    if (2 ** letters > MAX_PINNED_KEYS) return null;
    let variants = [''];
    for (const c of normalized) {
      const upper = c.toUpperCase();
      variants = upper === c ? variants.map((v) => v + c) : variants.flatMap((v) => [v + c, v + upper]);
    }
    variants.forEach((v) => out.add(v));
  }
  const n = parseFiniteFloat(value);
  if (n !== null && Number.isInteger(n)) {
    // Integers beyond 2^53 collide as doubles: several document ids could match, so give up.
    if (!Number.isSafeInteger(n)) return null;
    out.add(String(n === 0 ? 0 : n));
  }
  return [...out];
}

type Pins = Set<string> | undefined;

function keysOf(tokens: readonly Token[]): Pins {
  const out = new Set<string>();
  for (const token of tokens) {
    const keys = candidateKeys(token.value);
    if (keys === null) return undefined;
    keys.forEach((k) => out.add(k));
    if (out.size > MAX_PINNED_KEYS) return undefined;
  }
  return out;
}

function pins(expr: FilterExpr, pk: string): Pins {
  switch (expr.type) {
    case 'compare':
      return expr.op === '=' && expr.field.value === pk ? keysOf([expr.value]) : undefined;
    case 'in':
      return expr.field.value === pk ? keysOf(expr.values) : undefined;
    case 'not':
      // `NOT pk != x` is `pk = x`.
      if (expr.child.type === 'compare' && expr.child.op === '!=' && expr.child.field.value === pk) {
        return keysOf([expr.child.value]);
      }
      return undefined;
    case 'and': {
      let acc: Pins;
      for (const child of expr.children) {
        const p = pins(child, pk);
        if (p === undefined) continue;
        acc = acc === undefined ? p : new Set([...acc].filter((k) => p.has(k)));
      }
      return acc;
    }
    case 'or': {
      const acc = new Set<string>();
      for (const child of expr.children) {
        const p = pins(child, pk);
        if (p === undefined) return undefined;
        p.forEach((k) => acc.add(k));
        if (acc.size > MAX_PINNED_KEYS) return undefined;
      }
      return acc;
    }
    default:
      return undefined;
  }
}

/**
 * The primary keys (as the strings that are hashed: integers in decimal) that a matching document
 * can have, or `undefined` when the filter does not pin the primary key (ask every shard). An empty
 * array means no document can match.
 */
export function pinnedPrimaryKeys(expr: FilterExpr | null, primaryKey: string): string[] | undefined {
  if (expr === null) return undefined;
  const p = pins(expr, primaryKey);
  return p === undefined ? undefined : [...p].sort();
}
