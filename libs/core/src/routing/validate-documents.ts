import { findReservedField } from '../reserved';
import { DocumentRejection, documentKey, invalidIdMessage, missingKeyMessage } from './document-id';

/**
 * The first reason the batch must be rejected whole (docs/design.md#write-validation), or null when every
 * document has a valid primary key and no reserved field.
 */
export function validateDocuments(
  documents: readonly unknown[],
  primaryKey: string,
): DocumentRejection | null {
  for (let index = 0; index < documents.length; index++) {
    const doc = documents[index];
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      return { code: 'invalid_document_id', index, message: invalidIdMessage(doc) };
    }
    const record = doc as Record<string, unknown>;
    if (!(primaryKey in record) || record[primaryKey] === undefined) {
      return { code: 'miroir_primary_key_required', index, message: missingKeyMessage(primaryKey, doc) };
    }
    if (documentKey(record[primaryKey]) === null) {
      return { code: 'invalid_document_id', index, message: invalidIdMessage(record[primaryKey]) };
    }
    const field = findReservedField(record);
    if (field !== undefined) {
      return {
        code: 'miroir_reserved_field',
        index,
        field,
        message: `Document ${index} carries the reserved field \`${field}\`: fields starting with \`_miroir_\` belong to Miroir.`,
      };
    }
  }
  return null;
}
