import { MeiliError } from '../errors/meili-error';

export type QueryParams = Record<string, string | string[] | undefined>;

/** Meilisearch refuses unknown query parameters with `bad_request`. */
export function checkQueryKeys(query: QueryParams, allowed: readonly string[]): void {
  for (const key of Object.keys(query)) {
    if (!allowed.includes(key)) {
      throw new MeiliError('bad_request', `Unknown parameter \`${key}\`: expected one of ${allowed.map((a) => `\`${a}\``).join(', ')}`);
    }
  }
}

/** A non-negative integer query parameter, with Meilisearch's `invalid_*` code and wording. */
export function intParam(query: QueryParams, name: string, code: string, fallback: number): number {
  const raw = query[name];
  if (raw === undefined) return fallback;
  const text = Array.isArray(raw) ? raw[raw.length - 1]! : raw;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new MeiliError(code, `Invalid value in parameter \`${name}\`: could not parse \`${text}\` as a positive integer`);
  }
  return Number(text);
}
