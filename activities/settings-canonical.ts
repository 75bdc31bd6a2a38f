import { createHash } from 'node:crypto';

/**
 * A canonical JSON text of a settings object: object keys sorted at every depth, arrays in their
 * order (order matters for rankingRules and searchableAttributes; Meilisearch already returns the
 * set-like lists sorted). Two nodes with the same settings give the same text whatever order their
 * version serialises fields in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** SHA-256 of the canonical JSON, hex: what nodes are compared by and what the index row stores. */
export function settingsHash(settings: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(settings)).digest('hex');
}
