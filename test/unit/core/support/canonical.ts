/** JSON with sorted keys: equal documents, equal strings (a stand-in for the worker's fingerprint). */
export function canonicalJsonForTest(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJsonForTest).join(',')}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonicalJsonForTest(o[k])}`).join(',')}}`;
}
