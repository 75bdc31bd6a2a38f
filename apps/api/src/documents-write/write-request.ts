import { FilterParseError, parseFilter } from '@miroir/core';
import { errors } from '../errors/catalog';
import { describeValue } from '../errors/describe-value';
import { MeiliError } from '../errors/meili-error';
import { jsonTypeName, parseJson, parseJsonObject } from '../http/json-body';

// Parsing of the small JSON bodies and query strings of the document write routes, with
// Meilisearch's errors, at the edge.

type RawQuery = Record<string, unknown>;

export function checkQueryKeys(q: RawQuery, allowed: readonly string[]): void {
  for (const k of Object.keys(q)) {
    if (!allowed.includes(k)) {
      throw errors.badRequest(`Unknown parameter \`${k}\`: expected one of ${allowed.map((a) => `\`${a}\``).join(', ')}`);
    }
  }
}

export function queryString(q: RawQuery, name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? String(v[v.length - 1]) : String(v);
}

/** POST …/documents/delete-batch: a JSON array of ids. */
export function parseIdBatch(body: Buffer): unknown[] {
  if (body.toString('utf8').trim() === '') throw errors.missingPayload('json');
  const value = parseJson(body);
  if (!Array.isArray(value)) {
    throw errors.badRequest(`Json deserialize error: invalid type: ${jsonTypeName(value)}, expected a sequence at ${serdeEndPosition(body.toString('utf8'), value)}`);
  }
  return value;
}

/**
 * Where serde_json (which reads this route's body) reports a top-level value of the wrong type:
 * just after a scalar, and at column 0 for an object (checked against Meilisearch 1.50).
 */
function serdeEndPosition(text: string, value: unknown): string {
  if (typeof value === 'object' && value !== null) return 'line 1 column 0';
  const end = text.trimEnd();
  const lines = end.split('\n');
  return `line ${lines.length} column ${lines[lines.length - 1]!.length}`;
}

export type FilterValue = string | Array<string | string[]>;


/** POST …/documents/delete: `{filter}` with a syntactically valid filter (attributes are the nodes' to check). */
export function parseDeleteFilterBody(body: Buffer): FilterValue {
  const obj = parseJsonObject(body, { allowEmpty: false });
  for (const k of Object.keys(obj)) {
    if (k !== 'filter') throw errors.badRequest(`Unknown field \`${k}\`: expected one of \`filter\``);
  }
  if (!('filter' in obj)) throw new MeiliError('missing_document_filter', 'Missing field `filter`');
  const filter = obj.filter;
  if (typeof filter !== 'string' && !Array.isArray(filter)) {
    throw errors.invalidDocumentFilter(`Invalid syntax for the filter parameter: \`expected String, Array, found: ${JSON.stringify(filter)}\`.`);
  }
  try {
    parseFilter(filter);
  } catch (err) {
    if (err instanceof FilterParseError) throw errors.invalidDocumentFilter(err.message);
    throw err;
  }
  return filter as FilterValue;
}

/** `?skipCreation=`: Meilisearch takes exactly `true` or `false`. */
export function querySkipCreation(q: RawQuery): boolean | undefined {
  const v = queryString(q, 'skipCreation');
  if (v === undefined) return undefined;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new MeiliError('invalid_skip_creation', `skipCreation must be either \`true\` or \`false\`. Found: \`${v}\``);
}

export interface EditBody {
  function: string;
  filter: FilterValue | null;
  context: Record<string, unknown> | null;
}

/** What parseEditBody checked: the body's fields and its function; the rest is checked later. */
export interface EditRequest {
  function: string;
  filter: unknown;
  context: unknown;
}

const EDIT_FIELDS = ['filter', 'context', 'function'];

/**
 * POST …/documents/edit, first step: the body's fields and `function`, with Meilisearch's errors.
 * Meilisearch then checks that the feature is on, and only then `context` and `filter`
 * (checkEditArguments): the service runs those two steps in that order.
 */
export function parseEditBody(body: Buffer): EditRequest {
  const obj = parseJsonObject(body, { allowEmpty: false });
  for (const k of Object.keys(obj)) {
    if (!EDIT_FIELDS.includes(k)) throw errors.badRequest(`Unknown field \`${k}\`: expected one of ${EDIT_FIELDS.map((f) => `\`${f}\``).join(', ')}`);
  }
  if (!('function' in obj)) throw new MeiliError('missing_document_edition_function', 'Missing field `function`');
  if (typeof obj.function !== 'string') {
    throw new MeiliError('invalid_document_edition_function_filter', `Invalid value type at \`.function\`: expected a string, but found ${describeValue(obj.function)}`);
  }
  return { function: obj.function, filter: obj.filter ?? null, context: obj.context ?? null };
}

/**
 * Second step: `context` must be an object and `filter` a valid filter. The Rhai function itself
 * is compiled by the nodes: a syntax error comes back from every node as a 400 and reaches the
 * client unchanged (the quorum writer forwards a refusal every node agrees on).
 */
export function checkEditArguments(edit: EditRequest, indexUid: string): EditBody {
  const { context, filter } = edit;
  if (context !== null && (typeof context !== 'object' || Array.isArray(context))) {
    throw new MeiliError('invalid_document_edition_context', 'The context must be an object');
  }
  if (filter !== null) {
    if (typeof filter !== 'string' && !Array.isArray(filter)) {
      throw errors.invalidDocumentFilter(`Index \`${indexUid}\`: Invalid syntax for the filter parameter: \`expected String, Array, found: ${JSON.stringify(filter)}\`.`);
    }
    try {
      parseFilter(filter as FilterValue);
    } catch (err) {
      if (err instanceof FilterParseError) throw errors.invalidDocumentFilter(`Index \`${indexUid}\`: ${err.message}`);
      throw err;
    }
  }
  return { function: edit.function, filter: filter as FilterValue | null, context: context as Record<string, unknown> | null };
}
