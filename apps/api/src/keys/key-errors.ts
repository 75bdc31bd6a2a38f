import { MeiliError } from '../errors/meili-error';

// The errors of the /keys routes in Meilisearch 1.50's words. Bodies are validated by deserr
// there; its wording differs from the settings routes' (`an array`, `an object`, values never
// shortened), so these builders are the keys routes' own.

const list = (xs: readonly string[]): string => xs.map((x) => `\`${x}\``).join(', ');
const at = (path: string): string => (path ? ` at \`${path}\`` : '');

/** A JSON value as deserr names it in a message. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array: \`${JSON.stringify(value)}\``;
  switch (typeof value) {
    case 'boolean':
      return `a boolean: \`${value}\``;
    case 'string':
      return `a string: \`${JSON.stringify(value)}\``;
    case 'number':
      return describeNumber(value);
    default:
      return `an object: \`${JSON.stringify(value)}\``;
  }
}

// serde_json keeps integers within 64 bits as integers and everything else as floats. (A float
// written with an integral value, `1.0`, parses in JavaScript as the integer 1: Meilisearch would
// say "a number: `1.0`" where Miroir says "a positive integer: `1`".)
function describeNumber(n: number): string {
  if (Number.isInteger(n) && n >= 0 && n <= 18446744073709551615) return `a positive integer: \`${n}\``;
  if (Number.isInteger(n) && n < 0 && n >= -9223372036854775808) return `a negative integer: \`${n}\``;
  return `a number: \`${n}\``;
}

export const keyErrors = {
  invalidType: (code: string, path: string, expected: string, value: unknown) =>
    new MeiliError(code, `Invalid value type${at(path)}: expected ${expected}, but found ${describeJson(value)}`),
  invalidValue: (code: string, path: string, reason: string) => new MeiliError(code, `Invalid value${at(path)}: ${reason}`),
  unknownValue: (code: string, path: string, value: string, accepted: readonly string[]) =>
    new MeiliError(code, `Unknown value \`${value}\`${at(path)}: expected one of ${list(accepted)}`),
  unknownField: (field: string, accepted: readonly string[]) => new MeiliError('bad_request', `Unknown field \`${field}\`: expected one of ${list(accepted)}`),
  immutableField: (field: string, accepted: readonly string[]) =>
    new MeiliError(`immutable_api_key_${snake(field)}`, `Immutable field \`${field}\`: expected one of ${list(accepted)}`),
  missingField: (field: string) => new MeiliError(`missing_api_key_${snake(field)}`, `Missing field \`${field}\``),
  invalidIndexPattern: (path: string, pattern: string) =>
    keyErrors.invalidValue(
      'invalid_api_key_indexes',
      path,
      `\`${pattern}\` is not a valid index uid pattern. Index uid patterns can be an integer or a string containing only alphanumeric characters, hyphens (-), underscores (_), and optionally end with a star (*).`,
    ),
  invalidExpiresAt: (value: string) =>
    keyErrors.invalidValue(
      'invalid_api_key_expires_at',
      '.expiresAt',
      `\`${value}\` is not a valid date. It should follow the RFC 3339 format to represents a date or datetime in the future or specified as a null value. e.g. 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'.\n`,
    ),
  /**
   * Meilisearch echoes the path segment, key value or uid, as the client sent it: the client's own
   * input, and matching no key, so nothing secret is revealed (and it is never logged).
   */
  notFound: (keyOrUid: string) => new MeiliError('api_key_not_found', `API key \`${keyOrUid}\` not found.`, 404),
  alreadyExists: (uid: string) => new MeiliError('api_key_already_exists', `\`uid\` field value \`${uid}\` is already an existing API key.`, 409),
  missingContentType: () =>
    new MeiliError('missing_content_type', 'A Content-Type header is missing. Accepted values for the Content-Type header are: `application/json`', 415),
  invalidContentType: (contentType: string) =>
    new MeiliError('invalid_content_type', `The Content-Type \`${contentType}\` is invalid. Accepted values for the Content-Type header are: \`application/json\``, 415),
  missingPayload: () => new MeiliError('missing_payload', 'A json payload is missing.'),
  malformedPayload: (detail: string) => new MeiliError('malformed_payload', `The json payload provided is malformed. \`${detail}\`.`),
};

/** `expiresAt` → `expires_at`, as Meilisearch's error codes spell fields. */
function snake(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
