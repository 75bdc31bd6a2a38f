import type { ApiKeyPatch } from '@miroir/store';
import { isKeyAction, KEY_ACTIONS } from './key-actions';
import { keyErrors } from './key-errors';
import { parseExpiresAt, type KeyExpiry } from './key-expiry';
import { parseKeyUid } from './key-uid';

// The bodies of POST /keys and PATCH /keys/{key} checked as Meilisearch 1.50 checks them (deserr):
// fields in the order the client wrote them, the first problem answered; missing required fields
// only after every present one passed.

export interface CreateKeyInput {
  /** Canonical (lowercase, hyphenated); generated when the client gave none. */
  uid: string;
  name: string | null;
  description: string | null;
  actions: string[];
  indexes: string[];
  expiresAt: KeyExpiry | null;
}

const CREATE_FIELDS = ['description', 'name', 'uid', 'actions', 'indexes', 'expiresAt'] as const;
const REQUIRED = ['actions', 'indexes', 'expiresAt'] as const;
const PATCH_FIELDS = ['description', 'name'] as const;
const IMMUTABLE = new Set(['uid', 'actions', 'indexes', 'expiresAt', 'createdAt', 'updatedAt']);
/** Index uids: ASCII letters, digits, `-` and `_`, 1 to 400 bytes (what 1.50 accepts in patterns). */
const INDEX_UID = /^[A-Za-z0-9_-]{1,400}$/;

export function parseCreateKey(body: unknown, nowMs: number, newUid: () => string): CreateKeyInput {
  const fields = asObject(body);
  const out: Partial<CreateKeyInput> = {};
  for (const [field, value] of Object.entries(fields)) {
    switch (field) {
      case 'description':
      case 'name':
        out[field] = optionalString(field, value);
        break;
      case 'uid':
        out.uid = uid(value);
        break;
      case 'actions':
        out.actions = actions(value);
        break;
      case 'indexes':
        out.indexes = indexPatterns(value);
        break;
      case 'expiresAt':
        out.expiresAt = expiresAt(value, nowMs);
        break;
      default:
        throw keyErrors.unknownField(field, CREATE_FIELDS);
    }
  }
  for (const field of REQUIRED) if (out[field] === undefined) throw keyErrors.missingField(field);
  return {
    uid: out.uid ?? newUid(),
    name: out.name ?? null,
    description: out.description ?? null,
    actions: out.actions!,
    indexes: out.indexes!,
    expiresAt: out.expiresAt!,
  };
}

/** Only `name` and `description` change; null clears one. */
export function parsePatchKey(body: unknown): ApiKeyPatch {
  const fields = asObject(body);
  const patch: ApiKeyPatch = {};
  for (const [field, value] of Object.entries(fields)) {
    if (field === 'name' || field === 'description') patch[field] = optionalString(field, value);
    else if (IMMUTABLE.has(field)) throw keyErrors.immutableField(field, PATCH_FIELDS);
    else throw keyErrors.unknownField(field, PATCH_FIELDS);
  }
  return patch;
}

/** An index uid pattern: `*`, an index uid, or an index uid followed by `*`. */
export function isIndexPattern(pattern: string): boolean {
  return pattern === '*' || INDEX_UID.test(pattern.endsWith('*') ? pattern.slice(0, -1) : pattern);
}

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  throw keyErrors.invalidType('bad_request', '', 'an object', body);
}

function optionalString(field: 'name' | 'description', value: unknown): string | null {
  if (value === null || typeof value === 'string') return value;
  throw keyErrors.invalidType(`invalid_api_key_${field}`, `.${field}`, 'a string', value);
}

function uid(value: unknown): string {
  if (typeof value !== 'string') throw keyErrors.invalidType('invalid_api_key_uid', '.uid', 'a string', value);
  const parsed = parseKeyUid(value);
  if ('error' in parsed) throw keyErrors.invalidValue('invalid_api_key_uid', '.uid', parsed.error);
  return parsed.uid;
}

function actions(value: unknown): string[] {
  const code = 'invalid_api_key_actions';
  if (!Array.isArray(value)) throw keyErrors.invalidType(code, '.actions', 'an array', value);
  value.forEach((action, i) => {
    if (typeof action !== 'string') throw keyErrors.invalidType(code, `.actions[${i}]`, 'a string', action);
    if (!isKeyAction(action)) throw keyErrors.unknownValue(code, `.actions[${i}]`, action, KEY_ACTIONS);
  });
  return value as string[];
}

function indexPatterns(value: unknown): string[] {
  const code = 'invalid_api_key_indexes';
  if (!Array.isArray(value)) throw keyErrors.invalidType(code, '.indexes', 'an array', value);
  value.forEach((pattern, i) => {
    if (typeof pattern !== 'string') throw keyErrors.invalidType(code, `.indexes[${i}]`, 'a string', pattern);
    // Meilisearch names the part it checked: the pattern without its final `*`.
    if (!isIndexPattern(pattern)) throw keyErrors.invalidIndexPattern(`.indexes[${i}]`, pattern.endsWith('*') ? pattern.slice(0, -1) : pattern);
  });
  return value as string[];
}

function expiresAt(value: unknown, nowMs: number): KeyExpiry | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw keyErrors.invalidType('invalid_api_key_expires_at', '.expiresAt', 'a string', value);
  const parsed = parseExpiresAt(value, nowMs);
  if (!parsed) throw keyErrors.invalidExpiresAt(value);
  return parsed;
}
