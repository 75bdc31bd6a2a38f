// How a Meilisearch API key's `actions` and `indexes` grant a request, as Meilisearch v1.x
// matches them: `*` grants everything, `documents.*` every `documents.` action, `*.get` every read
// action; an index pattern is
// an exact uid, `*`, or a prefix ending with `*` (`movies*`).

/** The action required by routes that carry no @RequireAction: only a key with `*` passes. */
export const EVERY_ACTION = '*';

/**
 * What `*.get` grants on Meilisearch 1.50 (checked against the binary): every read action,
 * `search` included, but not `keys.get` (the default read-only key lists it separately).
 */
const READ_ACTIONS: ReadonlySet<string> = new Set([
  'search',
  'documents.get',
  'indexes.get',
  'tasks.get',
  'settings.get',
  'stats.get',
  'metrics.get',
  'version',
  'experimental.get',
  'network.get',
  'webhooks.get',
  'chats.get',
  'chatsSettings.get',
  'dynamicSearchRules.get',
]);

export function actionAllowed(granted: readonly string[], action: string): boolean {
  for (const g of granted) {
    if (g === '*' || g === action) return true;
    if (g === '*.get' && READ_ACTIONS.has(action)) return true;
    if (g.endsWith('.*') && action.startsWith(g.slice(0, -1))) return true;
  }
  return false;
}

export function indexAllowed(patterns: readonly string[], uid: string): boolean {
  for (const p of patterns) {
    if (p === '*' || p === uid) return true;
    if (p.endsWith('*') && uid.startsWith(p.slice(0, -1))) return true;
  }
  return false;
}

/** Key-management routes: Meilisearch refuses them outright when it runs without a master key. */
export function isKeysAction(action: string): boolean {
  return action.startsWith('keys.');
}
