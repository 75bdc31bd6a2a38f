import { describeValue } from '../errors/describe-value';
import { MeiliError } from '../errors/meili-error';

// Meilisearch's deserr-style validation errors for the read routes (search, multi-search,
// documents), with its exact wording, so an SDK user sees what a single Meilisearch would answer.

const list = (xs: readonly string[]): string => xs.map((x) => `\`${x}\``).join(', ');

/** `invalid_search_limit` for `limit`, `invalid_search_hits_per_page` for `hitsPerPage`… */
export function searchCode(field: string): string {
  return `invalid_search_${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
}

export const readErrors = {
  invalidType: (code: string, path: string, expected: string, value: unknown) =>
    new MeiliError(code, `Invalid value type${path ? ` at \`${path}\`` : ''}: expected ${expected}, but found ${describeValue(value)}`),
  invalidValue: (code: string, path: string, message: string) => new MeiliError(code, `Invalid value${path ? ` at \`${path}\`` : ''}: ${message}`),
  unknownValue: (code: string, path: string, value: unknown, expected: readonly string[]) =>
    new MeiliError(code, `Unknown value \`${String(value)}\` at \`${path}\`: expected one of ${list(expected)}`),
  unknownField: (field: string, expected: readonly string[], path = '') =>
    new MeiliError('bad_request', `Unknown field \`${field}\`${path ? ` inside \`${path}\`` : ''}: expected one of ${list(expected)}`),
  unknownParameter: (name: string, expected: readonly string[]) =>
    new MeiliError('bad_request', `Unknown parameter \`${name}\`: expected one of ${list(expected)}`),
  queryInteger: (code: string, name: string, raw: string) =>
    new MeiliError(code, `Invalid value in parameter \`${name}\`: could not parse \`${raw}\` as a positive integer`),
  queryBoolean: (code: string, name: string, raw: string) =>
    new MeiliError(code, `Invalid value in parameter \`${name}\`: could not parse \`${raw}\` as a boolean, expected either \`true\` or \`false\``),
  queryFloat: (code: string, name: string, raw: string) =>
    new MeiliError(code, `Invalid value in parameter \`${name}\`: could not parse \`${raw}\` as a float`),
  missingField: (code: string, field: string, path = '') =>
    new MeiliError(code, `Missing field \`${field}\`${path ? ` inside \`${path}\`` : ''}`),
};

/** Prefixes an error raised for one multi-search query the way Meilisearch does. */
export function insideQuery(index: number, err: unknown): unknown {
  if (err instanceof MeiliError && !err.message.startsWith('Inside')) {
    return new MeiliError(err.code, `Inside \`.queries[${index}]\`: ${err.message}`, err.status, err.type, err.headers);
  }
  return err;
}
