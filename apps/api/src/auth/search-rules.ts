import { indexAllowed } from './permissions';

// A tenant token's `searchRules`, read and applied as Meilisearch 1.50 does (docs/api-compatibility.md,
// tenant tokens): either a list of index patterns, or an object mapping index patterns to `null` or
// `{ "filter": … }`. A pattern is an exact index uid, `*`, or a prefix ending with `*`.

/** The rule of one index pattern; `filter` absent (or null) restricts nothing. */
export interface IndexRule {
  readonly filter?: unknown;
}

export type SearchRules =
  | { readonly kind: 'set'; readonly patterns: readonly string[] }
  | { readonly kind: 'map'; readonly rules: ReadonlyMap<string, IndexRule | null> };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An object's rule, as serde reads Meilisearch's `IndexSearchRules` struct: unknown fields are
 * ignored, and the one-element array form of the struct (`["user = 1"]`) is accepted too.
 */
function indexRule(v: unknown): IndexRule | null | undefined {
  if (v === null) return null;
  if (isObject(v)) return v['filter'] === undefined || v['filter'] === null ? {} : { filter: v['filter'] };
  if (Array.isArray(v) && v.length === 1) return v[0] === null ? {} : { filter: v[0] };
  return undefined;
}

/** The rules of a token's claim, or undefined when it is neither form (Meilisearch refuses the token). */
export function parseSearchRules(value: unknown): SearchRules | undefined {
  if (Array.isArray(value)) {
    if (!value.every((p) => typeof p === 'string')) return undefined;
    return { kind: 'set', patterns: [...new Set(value as string[])] };
  }
  if (!isObject(value)) return undefined;
  const rules = new Map<string, IndexRule | null>();
  for (const [pattern, raw] of Object.entries(value)) {
    const rule = indexRule(raw);
    if (rule === undefined) return undefined;
    rules.set(pattern, rule);
  }
  return { kind: 'map', rules };
}

function patternsOf(rules: SearchRules): string[] {
  return rules.kind === 'set' ? [...rules.patterns] : [...rules.rules.keys()];
}

/** Does the token grant index `uid` (some pattern matches it)? */
export function rulesAuthorize(rules: SearchRules, uid: string): boolean {
  return indexAllowed(patternsOf(rules), uid);
}

/** The token's patterns, sorted, as Meilisearch lists them in its refusal. */
export function rulesPatterns(rules: SearchRules): string[] {
  return patternsOf(rules).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/**
 * The rule applying to index `uid`: in the object form, that of the most specific matching pattern
 * (an exact uid before any `*` pattern, then the longest); the list form restricts nothing.
 */
export function ruleFor(rules: SearchRules, uid: string): IndexRule | undefined {
  if (rules.kind === 'set') return undefined;
  let best: { pattern: string; rule: IndexRule | null } | undefined;
  const rank = (p: string): [number, number] => [p.endsWith('*') ? 0 : 1, Buffer.byteLength(p)];
  for (const [pattern, rule] of rules.rules) {
    if (!indexAllowed([pattern], uid)) continue;
    if (!best) {
      best = { pattern, rule };
      continue;
    }
    const [exact, len] = rank(pattern);
    const [bestExact, bestLen] = rank(best.pattern);
    if (exact > bestExact || (exact === bestExact && len > bestLen)) best = { pattern, rule };
  }
  return best?.rule ?? undefined;
}
