import type { StoredApiKey } from '@miroir/store';
import { keyValue } from '../auth/key-value';

/** An API key as Meilisearch answers it (same fields, same order). */
export interface KeyView {
  name: string | null;
  description: string | null;
  key: string;
  uid: string;
  actions: string[];
  indexes: string[];
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function keyView(stored: StoredApiKey, masterKey: string): KeyView {
  return {
    name: stored.name,
    description: stored.description,
    key: keyValue(masterKey, stored.uid),
    uid: stored.uid,
    actions: stored.actions,
    indexes: stored.indexes,
    expiresAt: stored.expiresAt,
    createdAt: rfc3339(stored.createdAt),
    updatedAt: rfc3339(stored.updatedAt),
  };
}

/** Meilisearch prints a fraction of a second only when there is one, without trailing zeros. */
export function rfc3339(utcMicros: string): string {
  return utcMicros.replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits ? `.${digits}Z` : 'Z'));
}
