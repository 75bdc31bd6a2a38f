// docs/design.md#reserved-attributes: every field starting with `_miroir_` belongs to Miroir. Client documents carrying one
// (at any depth) are rejected, and responses never contain one (at any depth), so stripping never
// hides client data.

export const RESERVED_PREFIX = '_miroir_';
export const SHARD_FIELD = '_miroir_shard';
export const UPDATED_AT_FIELD = '_miroir_updated_at';
export const EXPIRES_AT_FIELD = '_miroir_expires_at';

export function isReservedField(name: string): boolean {
  return name.startsWith(RESERVED_PREFIX);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The dotted path of the first reserved field in `value` (depth-first, key order), if any. A
 * nested key counts too: Meilisearch would flatten it to `a._miroir_x`, but it would still be
 * stripped from every response, so accepting it would silently lose data.
 */
export function findReservedField(value: unknown, path = ''): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findReservedField(item, path);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  for (const key in value) {
    const here = path === '' ? key : `${path}.${key}`;
    if (key.startsWith(RESERVED_PREFIX)) return here;
    const v = value[key];
    if (typeof v === 'object' && v !== null) {
      const found = findReservedField(v, here);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Whether any key at any depth of `value` is reserved (cheap check before copying). */
function containsReserved(value: unknown): boolean {
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'object' && item !== null && containsReserved(item)) return true;
    return false;
  }
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    if (key.startsWith(RESERVED_PREFIX)) return true;
    const v = value[key];
    if (typeof v === 'object' && v !== null && containsReserved(v)) return true;
  }
  return false;
}

/**
 * `value` without reserved keys at any depth. Returns the same reference when nothing is reserved,
 * so clean subtrees are never copied.
 */
export function stripReserved<T>(value: T): T {
  if (typeof value !== 'object' || value === null || !containsReserved(value)) return value;
  if (Array.isArray(value)) return value.map((v) => stripReserved(v)) as T;
  const out: Record<string, unknown> = {};
  const src = value as Record<string, unknown>;
  for (const key in src) {
    if (key.startsWith(RESERVED_PREFIX)) continue;
    out[key] = stripReserved(src[key]);
  }
  return out as T;
}

/** A record without its reserved top-level keys (facet distributions, stats, field distributions). */
export function withoutReservedKeys<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const key in record) if (!key.startsWith(RESERVED_PREFIX)) out[key] = record[key]!;
  return out;
}
