import { MeiliError } from './meili-error';

// Meilisearch's own errors as Miroir answers them (same code, wording and status), and Miroir's
// codes of docs/api-compatibility.md#errors. One builder per error so wording lives in one place.

const ACCEPTED_TYPES = '`application/json`, `application/x-ndjson`, `text/csv`';

export const errors = {
  indexNotFound: (uid: string) => new MeiliError('index_not_found', `Index \`${uid}\` not found.`, 404),
  indexAlreadyExists: (uid: string) => new MeiliError('index_already_exists', `Index \`${uid}\` already exists.`, 409),
  invalidIndexUid: (uid: string) =>
    new MeiliError(
      'invalid_index_uid',
      `\`${uid}\` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.`,
    ),
  documentNotFound: (id: string) => new MeiliError('document_not_found', `Document \`${id}\` not found.`, 404),
  taskNotFound: (uid: string | number) => new MeiliError('task_not_found', `Task \`${uid}\` not found.`, 404),
  missingAuthorizationHeader: () =>
    new MeiliError('missing_authorization_header', 'The Authorization header is missing. It must use the bearer authorization method.', 401, 'auth'),
  invalidApiKey: () => new MeiliError('invalid_api_key', 'The provided API key is invalid.', 403, 'auth'),
  /** Meilisearch's wording (typo included) when a key's `indexes` do not cover the route's index. */
  apiKeyIndexForbidden: (index: string, allowed: readonly string[]) =>
    new MeiliError('invalid_api_key', `The API key cannot acces the index \`${index}\`, authorized indexes are ${JSON.stringify(allowed).replace(/,/g, ', ')}.`, 403, 'auth'),
  missingMasterKey: () =>
    new MeiliError(
      'missing_master_key',
      'Meilisearch is running without a master key. To access this API endpoint, you must have set a master key at launch.',
      401,
      'auth',
    ),
  payloadTooLarge: (limitBytes: number) =>
    new MeiliError(
      'payload_too_large',
      `The provided payload reached the size limit. The maximum accepted payload size is ${humanBytes(limitBytes)}.`,
      413,
    ),
  missingPayload: (format: 'json' | 'ndjson' | 'csv') => new MeiliError('missing_payload', `A ${format} payload is missing.`, 400),
  malformedPayload: (format: 'json' | 'ndjson' | 'csv', detail: string) =>
    new MeiliError('malformed_payload', `The \`${format}\` payload provided is malformed. \`${detail}\`.`, 400),
  invalidContentType: (contentType: string) =>
    new MeiliError(
      'invalid_content_type',
      `The Content-Type \`${contentType}\` is invalid. Accepted values for the Content-Type header are: ${ACCEPTED_TYPES}`,
      415,
    ),
  missingContentType: () =>
    new MeiliError('missing_content_type', `A Content-Type header is missing. Accepted values for the Content-Type header are: ${ACCEPTED_TYPES}`, 415),
  badRequest: (message: string) => new MeiliError('bad_request', message, 400),
  notFound: () => new MeiliError('not_found', 'Not Found', 404),
  internal: () => new MeiliError('internal', 'An internal error has occurred. It has been logged.', 500, 'internal'),

  // Miroir's own codes (docs/api-compatibility.md#errors)
  primaryKeyRequired: (message: string) => new MeiliError('miroir_primary_key_required', message, 400),
  reservedField: (field: string) =>
    new MeiliError('miroir_reserved_field', `Field \`${field}\` is reserved: fields starting with \`_miroir_\` belong to Miroir and cannot be sent in documents.`, 400),
  noQuorum: (shards: readonly number[], degraded?: string) =>
    new MeiliError(
      'miroir_no_quorum',
      `No replica group reached the write quorum for shards ${shards.join(',')}. Documents of other shards may already be applied; retrying the same request is safe because writes are idempotent per primary key.`,
      503,
      'system',
      degraded ? { 'X-Miroir-Degraded': degraded } : {},
    ),
  shardUnavailable: (shards: readonly number[]) =>
    new MeiliError('miroir_shard_unavailable', `No healthy replica can answer shards ${shards.join(',')}.`, 503, 'system', {
      'X-Miroir-Degraded': `shards=${shards.join(',')}`,
    }),
  idempotencyKeyReused: () =>
    new MeiliError('miroir_idempotency_key_reused', 'This Idempotency-Key was already used with a different request body.', 409),
  multiAliasNotWritable: (alias: string) =>
    new MeiliError('miroir_multi_alias_not_writable', `Alias \`${alias}\` points at several indexes and cannot be written to.`, 409),
  settingsVersionStale: (wanted: number, have: number) =>
    new MeiliError('miroir_settings_version_stale', `No node is at settings version ${wanted} yet (highest is ${have}).`, 503, 'system'),
  /** A node task Miroir can no longer follow (node lost it, or unreachable past the bound): the Miroir task fails with it. */
  nodeTaskLost: (nodeId: string, taskUid: number, why: string) =>
    new MeiliError('miroir_node_task_lost', `Node \`${nodeId}\` task \`${taskUid}\` ${why}. Retrying the request is safe: writes are idempotent per primary key, and a retry reaches every replica again.`, 500, 'system'),
  invalidDocumentFilter: (message: string) => new MeiliError('invalid_document_filter', message, 400),
  settingsFrozen: (uid: string, reason: string) =>
    new MeiliError(
      'miroir_settings_frozen',
      `Writes to index \`${uid}\` are frozen: a settings change could not be applied identically on every node (${reason}). The background drift check lifts this once every node holds the index's settings again; applying the settings again also repairs it.`,
      503,
      'system',
    ),
  /** A write could not confirm the cluster topology against Postgres (see TopologyService.writeTable). */
  topologyUnavailable: () =>
    new MeiliError(
      'miroir_topology_unavailable',
      'The cluster topology cannot be confirmed right now (Miroir cannot reach its database), so the write was not applied anywhere. Retry shortly.',
      503,
      'system',
    ),
  /** Postgres did not answer in time or dropped the connection (see database-errors.ts). */
  databaseUnavailable: () =>
    new MeiliError(
      'miroir_database_unavailable',
      "Miroir's database is unreachable right now. If this was a write, its documents may already be on some nodes without a task to follow; retrying it is safe because writes are idempotent per primary key.",
      503,
      'system',
    ),
  /** An earlier settings or index change of the index is still not on the nodes (apps/api/src/tasks/task-order.service.ts). */
  taskOrderTimeout: (uid: string, taskUid: number, seconds: number) =>
    new MeiliError(
      'miroir_task_order_timeout',
      `Task \`${taskUid}\` of index \`${uid}\` (a settings or index change enqueued earlier) has not reached the nodes after ${seconds} s, and this write must run after it; the write was not applied. Retry shortly.`,
      503,
      'system',
      { 'Retry-After': '5' },
    ),
  nodeUnavailable: (what: string) => new MeiliError('miroir_node_unavailable', `No Meilisearch node could answer ${what}.`, 503, 'system'),
  invalidAuth: () => new MeiliError('miroir_invalid_auth', 'The admin key is missing or invalid.', 401, 'auth'),
  /** Postgres did not answer the API-key load and no recent copy of the keys is cached. */
  keyCheckUnavailable: () =>
    new MeiliError('miroir_key_check_unavailable', 'API keys cannot be checked right now: Miroir cannot reach its database. Retry shortly.', 503, 'system'),
};

/** Meilisearch prints its limit as "100 MB" (decimal units, as its --http-payload-size-limit). */
function humanBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1 && Number.isInteger(v / 1000)) {
    v /= 1000;
    i++;
  }
  return `${v} ${units[i]}`;
}
