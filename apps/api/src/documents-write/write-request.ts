import { FilterParseError, parseFilter } from '@miroir/core';
import { errors } from '../errors/catalog';
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
    throw errors.badRequest(`Json deserialize error: invalid type: ${jsonTypeName(value)}, expected a sequence at line 1 column 1`);
  }
  return value;
}

export type FilterValue = string | Array<string | string[]>;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a sequence: \`${JSON.stringify(value)}\``;
  if (typeof value === 'string') return `a string: \`${JSON.stringify(value)}\``;
  if (typeof value === 'number') return `a number: \`${value}\``;
  if (typeof value === 'boolean') return `a boolean: \`${value}\``;
  return `a map: \`${JSON.stringify(value)}\``;
}

/** POST …/documents/delete: `{filter}` with a syntactically valid filter (attributes are the nodes' to check). */
export function parseDeleteFilterBody(body: Buffer): FilterValue {
  const obj = parseJsonObject(body, { allowEmpty: false });
  for (const k of Object.keys(obj)) {
    if (k !== 'filter') throw errors.badRequest(`Unknown field \`${k}\`: expected one of \`filter\``);
  }
  if (!('filter' in obj)) throw new MeiliError('missing_document_filter', 'Missing field `filter`');
  const filter = obj.filter;
  if (typeof filter !== 'string' && !Array.isArray(filter)) {
    throw errors.invalidDocumentFilter(`Invalid value type at \`.filter\`: expected a string or an array, but found ${describe(filter)}`);
  }
  try {
    parseFilter(filter);
  } catch (err) {
    if (err instanceof FilterParseError) throw errors.invalidDocumentFilter(err.message);
    throw err;
  }
  return filter as FilterValue;
}
