// Meilisearch's error codes with their HTTP status and wording, so routes never spell them ad hoc.
// Statuses follow meilisearch-types' error table (e.g. invalid_content_type is 415, io errors 422).
import { SimError } from './errors';

export const ACCEPTED_DOCUMENT_TYPES = ['application/json', 'application/x-ndjson', 'text/csv'];

const fmtList = (xs: readonly string[]): string => xs.map((x) => `\`${x}\``).join(', ');

export const errors = {
  indexNotFound: (uid: string) => new SimError('index_not_found', `Index \`${uid}\` not found.`, 404),
  indexAlreadyExists: (uid: string) => new SimError('index_already_exists', `Index \`${uid}\` already exists.`, 409),
  invalidIndexUid: (uid: string) =>
    new SimError(
      'invalid_index_uid',
      `\`${uid}\` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.`,
    ),
  documentNotFound: (id: string) => new SimError('document_not_found', `Document \`${id}\` not found.`, 404),
  taskNotFound: (uid: number | string) => new SimError('task_not_found', `Task \`${uid}\` not found.`, 404),
  apiKeyNotFound: (k: string) => new SimError('api_key_not_found', `API key \`${k}\` not found.`, 404),
  missingAuthorizationHeader: () =>
    new SimError(
      'missing_authorization_header',
      'The Authorization header is missing. It must use the bearer authorization method.',
      401,
      'auth',
    ),
  invalidApiKey: () => new SimError('invalid_api_key', 'The provided API key is invalid.', 403, 'auth'),
  missingMasterKey: () =>
    new SimError(
      'missing_master_key',
      'Meilisearch is running without a master key. To access this API endpoint, you must have set a master key at launch.',
      401,
      'auth',
    ),
  missingContentType: (accepted: readonly string[]) =>
    new SimError(
      'missing_content_type',
      `A Content-Type header is missing. Accepted values for the Content-Type header are: ${fmtList(accepted)}`,
      415,
    ),
  invalidContentType: (got: string, accepted: readonly string[]) =>
    new SimError(
      'invalid_content_type',
      `The Content-Type \`${got}\` is invalid. Accepted values for the Content-Type header are: ${fmtList(accepted)}`,
      415,
    ),
  missingPayload: (format: string) => new SimError('missing_payload', `A ${format} payload is missing.`),
  malformedPayload: (format: string, detail: string) =>
    new SimError('malformed_payload', `The \`${format}\` payload provided is malformed. \`${detail}\`.`),
  payloadTooLarge: (limitBytes: number) =>
    new SimError(
      'payload_too_large',
      `The provided payload reached the size limit. The maximum accepted payload size is ${formatBytes(limitBytes)}.`,
      413,
    ),
  badRequest: (message: string) => new SimError('bad_request', message),
  /** deserr-style type error: "Invalid value type at `.limit`: expected a positive integer, but found …". */
  invalidType: (code: string, path: string, expected: string, value: unknown) =>
    new SimError(code, `Invalid value type${path ? ` at \`${path}\`` : ''}: expected ${expected}, but found ${describe(value)}`),
  invalidValue: (code: string, path: string, message: string) =>
    new SimError(code, `Invalid value${path ? ` at \`${path}\`` : ''}: ${message}`),
  unknownField: (field: string, expected: readonly string[], path = '') =>
    new SimError(
      'bad_request',
      `Unknown field \`${field}\`${path ? ` inside \`${path}\`` : ''}: expected one of ${fmtList(expected)}`,
    ),
  internal: (message: string) => new SimError('internal', message, 500, 'internal'),
  notFoundRoute: () => new SimError('not_found', 'Not Found', 404),
};

/** How deserr describes a JSON value in its error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array: \`${JSON.stringify(value)}\``;
  switch (typeof value) {
    case 'string':
      return `a string: \`${JSON.stringify(value)}\``;
    case 'number':
      return Number.isInteger(value) && value >= 0
        ? `a positive integer: \`${value}\``
        : Number.isInteger(value)
          ? `a negative integer: \`${value}\``
          : `a number: \`${value}\``;
    case 'boolean':
      return `a boolean: \`${value}\``;
    case 'object':
      return `an object: \`${JSON.stringify(value)}\``;
    default:
      return String(value);
  }
}

function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} B`;
}
