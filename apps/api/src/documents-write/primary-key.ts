import { MeiliError } from '../errors/meili-error';
import { errors } from '../errors/catalog';
import type { Document } from './document-payload';

/**
 * Meilisearch's inference on a first write: the single attribute of the first document whose name
 * ends with `id` (case-insensitive); none or several is an error (Meilisearch's codes and wording,
 * answered synchronously here because Miroir must know the key before routing anything).
 */
export function inferPrimaryKey(doc: Document): string {
  const candidates = Object.keys(doc).filter((k) => k.toLowerCase().endsWith('id'));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) {
    throw new MeiliError(
      'index_primary_key_no_candidate_found',
      'The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.',
    );
  }
  throw new MeiliError(
    'index_primary_key_multiple_candidates_found',
    `The primary key inference failed as the engine found ${candidates.length} fields ending with \`id\` in their names: ${candidates.map((c) => `'${c}'`).join(' and ')}. Please specify the primary key manually using the \`primaryKey\` query parameter.`,
  );
}

/** The index's key, else `?primaryKey=`, else inferred from the first document (null: nothing to infer from). */
export function resolvePrimaryKey(uid: string, indexKey: string | null, queryKey: string | undefined, docs: readonly Document[]): string | null {
  if (indexKey !== null) {
    if (queryKey !== undefined && queryKey !== indexKey) {
      throw new MeiliError('index_primary_key_already_exists', `Index \`${uid}\`: Index already has a primary key: \`${indexKey}\`.`);
    }
    return indexKey;
  }
  if (queryKey !== undefined) {
    if (queryKey === '') throw errors.primaryKeyRequired('The `primaryKey` query parameter cannot be empty.');
    return queryKey;
  }
  return docs.length > 0 ? inferPrimaryKey(docs[0]!) : null;
}
