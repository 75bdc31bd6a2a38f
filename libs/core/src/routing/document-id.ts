// Primary-key extraction and validation (docs/design.md#write-validation), with Meilisearch's rules and messages.

import { pkString } from '../hashing';

const MAX_ID_BYTES = 511;
const ID_PATTERN = /^[a-zA-Z0-9_-]+$/;

/**
 * The routing string of a document id value, or null when it is not a valid id: a string of
 * `a-zA-Z0-9_-` of at most 511 bytes, or an integer (routed by its decimal form).
 */
export function documentKey(value: unknown): string | null {
  if (typeof value === 'string') {
    return value.length > 0 && value.length <= MAX_ID_BYTES && ID_PATTERN.test(value) ? value : null;
  }
  if (typeof value === 'number' && Number.isInteger(value)) return pkString(value);
  return null;
}

export type DocumentRejection =
  | { readonly code: 'miroir_primary_key_required'; readonly index: number; readonly message: string }
  | { readonly code: 'invalid_document_id'; readonly index: number; readonly message: string }
  | { readonly code: 'miroir_reserved_field'; readonly index: number; readonly field: string; readonly message: string };

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function missingKeyMessage(primaryKey: string, document: unknown): string {
  return `Document doesn't have a \`${primaryKey}\` attribute: \`${json(document)}\`.`;
}

export function invalidIdMessage(value: unknown): string {
  return (
    `Document identifier \`${json(value)}\` is invalid. A document identifier can be of type integer or string, ` +
    'only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.'
  );
}
