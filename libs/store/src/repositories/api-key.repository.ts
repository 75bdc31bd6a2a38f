import type { DataSource, EntityManager } from 'typeorm';
import { CHANNELS } from '../notifications';

/** An API key as Miroir stores it (see api-key.entity.ts); never its value. */
export interface StoredApiKey {
  uid: string;
  name: string | null;
  description: string | null;
  actions: string[];
  indexes: string[];
  /** The expiry as Meilisearch renders it (the client's UTC offset kept), or null: never expires. */
  expiresAt: string | null;
  /** The expiry in epoch milliseconds, or null. */
  expiresAtMs: number | null;
  /** RFC 3339 in UTC with microseconds (`2026-01-02T03:04:05.123456Z`). */
  createdAt: string;
  updatedAt: string;
}

export interface NewApiKey {
  uid: string;
  name: string | null;
  description: string | null;
  actions: readonly string[];
  indexes: readonly string[];
  /** `text`: as the API renders it; `instant`: the same instant in a form Postgres parses. */
  expiresAt: { text: string; instant: string } | null;
}

/** Fields a PATCH may change; an absent field is left as it is, null clears it. */
export interface ApiKeyPatch {
  name?: string | null;
  description?: string | null;
}

interface Row {
  uid: string;
  name: string | null;
  description: string | null;
  actions: string[];
  indexes: string[];
  expires_at_text: string | null;
  expires_at_ms: number | null;
  created_at: string;
  updated_at: string;
}

const utc = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const COLUMNS = `uid::text AS uid, name, description, actions, indexes, expires_at_text,
  floor(extract(epoch FROM expires_at) * 1000)::float8 AS expires_at_ms,
  ${utc('created_at')} AS created_at, ${utc('updated_at')} AS updated_at`;
// Newest first, as Meilisearch lists keys; the uid only breaks ties.
const ORDER = 'ORDER BY created_at DESC, uid';

// name and description are JSON string literals: Postgres text refuses U+0000.
const encode = (v: string | null): string | null => (v === null ? null : JSON.stringify(v));
const decode = (v: string | null): string | null => (v === null ? null : (JSON.parse(v) as string));

function toStored(r: Row): StoredApiKey {
  return {
    uid: r.uid,
    name: decode(r.name),
    description: decode(r.description),
    actions: r.actions,
    indexes: r.indexes,
    expiresAt: r.expires_at_text,
    expiresAtMs: r.expires_at_ms,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** TypeORM answers UPDATE/DELETE … RETURNING with [rows, count] and INSERT … RETURNING with rows. */
function returned<T>(result: unknown): T[] {
  const rows = result as unknown[];
  return (Array.isArray(rows[0]) ? rows[0] : rows) as T[];
}

async function notifyKeysChanged(tx: EntityManager, uid: string): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [CHANNELS.keys, uid]);
}

/** Every key, newest first (what the API pods index in memory). */
export async function loadApiKeys(ds: DataSource | EntityManager): Promise<StoredApiKey[]> {
  const rows: Row[] = await ds.query(`SELECT ${COLUMNS} FROM api_keys ${ORDER}`);
  return rows.map(toStored);
}

/** One page of keys, newest first, and how many keys there are (one snapshot for both). */
export async function listApiKeysPage(ds: DataSource, offset: number, limit: number): Promise<{ results: StoredApiKey[]; total: number }> {
  return ds.transaction('REPEATABLE READ', async (tx) => {
    const [{ total }]: Array<{ total: number }> = await tx.query('SELECT count(*)::int AS total FROM api_keys');
    const rows: Row[] = limit === 0 ? [] : await tx.query(`SELECT ${COLUMNS} FROM api_keys ${ORDER} OFFSET $1 LIMIT $2`, [offset, limit]);
    return { results: rows.map(toStored), total };
  });
}

export async function findApiKey(ds: DataSource | EntityManager, uid: string): Promise<StoredApiKey | undefined> {
  const rows: Row[] = await ds.query(`SELECT ${COLUMNS} FROM api_keys WHERE uid = $1`, [uid]);
  return rows[0] ? toStored(rows[0]) : undefined;
}

/** Inserts the key and notifies every API pod; undefined when a key with this uid exists. */
export async function insertApiKey(ds: DataSource, key: NewApiKey): Promise<StoredApiKey | undefined> {
  return ds.transaction(async (tx) => {
    const rows = returned<Row>(
      await tx.query(
        `INSERT INTO api_keys (uid, name, description, actions, indexes, expires_at, expires_at_text)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (uid) DO NOTHING
         RETURNING ${COLUMNS}`,
        [key.uid, encode(key.name), encode(key.description), key.actions, key.indexes, key.expiresAt?.instant ?? null, key.expiresAt?.text ?? null],
      ),
    );
    if (rows.length === 0) return undefined;
    await notifyKeysChanged(tx, key.uid);
    return toStored(rows[0]!);
  });
}

/** Applies the patch (and bumps updated_at, even for an empty one, as Meilisearch does); undefined when no such key. */
export async function updateApiKey(ds: DataSource, uid: string, patch: ApiKeyPatch): Promise<StoredApiKey | undefined> {
  return ds.transaction(async (tx) => {
    const sets = ['updated_at = now()'];
    const params: unknown[] = [uid];
    for (const column of ['name', 'description'] as const) {
      const value = patch[column];
      if (value === undefined) continue;
      params.push(encode(value));
      sets.push(`${column} = $${params.length}`);
    }
    const rows = returned<Row>(await tx.query(`UPDATE api_keys SET ${sets.join(', ')} WHERE uid = $1 RETURNING ${COLUMNS}`, params));
    if (rows.length === 0) return undefined;
    await notifyKeysChanged(tx, uid);
    return toStored(rows[0]!);
  });
}

/** Deletes the key and notifies every API pod; false when there was no such key. */
export async function deleteApiKey(ds: DataSource, uid: string): Promise<boolean> {
  return ds.transaction(async (tx) => {
    const rows = returned<{ uid: string }>(await tx.query('DELETE FROM api_keys WHERE uid = $1 RETURNING uid', [uid]));
    if (rows.length === 0) return false;
    await notifyKeysChanged(tx, uid);
    return true;
  });
}
