// Primary keys and document ids as Meilisearch validates them while processing an addition.
import { SimError } from '../errors';
import type { Doc } from '../search/types';

/** Infers the primary key from a document: the single field whose name ends with "id". */
export function inferPrimaryKey(doc: Doc): string {
  const candidates = Object.keys(doc).filter((k) => k.toLowerCase().endsWith('id'));
  if (candidates.length === 0) {
    throw new SimError(
      'index_primary_key_no_candidate_found',
      'The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.',
    );
  }
  if (candidates.length > 1) {
    throw new SimError(
      'index_primary_key_multiple_candidates_found',
      `The primary key inference failed as the engine found ${candidates.length} fields ending with \`id\` in their names: ${candidates.map((c) => `'${c}'`).join(' and ')}. Please specify the primary key manually using the \`primaryKey\` query parameter.`,
    );
  }
  return candidates[0]!;
}

const ID_RE = /^[A-Za-z0-9_-]+$/;

/** Validates a document's id and returns its canonical string form (integers as decimal strings). */
export function documentId(doc: Doc, primaryKey: string): string {
  const value = getPath(doc, primaryKey);
  if (value === undefined || value === null) {
    throw new SimError('missing_document_id', `Document doesn't have a \`${primaryKey}\` attribute: \`${JSON.stringify(doc)}\`.`);
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && ID_RE.test(value) && Buffer.byteLength(value) <= 511) return value;
  throw invalidDocumentId(value);
}

export function invalidDocumentId(value: unknown): SimError {
  return new SimError(
    'invalid_document_id',
    `Document identifier \`${JSON.stringify(value)}\` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.`,
  );
}

/** Reads a possibly dotted path (`a.b`) the way Meilisearch resolves nested primary keys. */
function getPath(doc: Doc, path: string): unknown {
  if (path in doc) return doc[path];
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Doc)[part];
  }
  return cur;
}
