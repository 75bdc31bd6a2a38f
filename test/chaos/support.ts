// Shared pieces of the chaos scenarios: shard ownership computed with libs/core (the same pure
// functions every API pod uses), a seeded index, background readers/writers that record every
// outcome, and checks that acknowledged documents are present afterwards.
import { assign, shardForKey } from '@miroir/core';
import type { TestCluster } from '../support/cluster';

export const SHARDS = 64;
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Node ids owning `shard` in a single group of `nodes` nodes (`meili-0…`), as Miroir assigns them. */
export function owners(shard: number, nodes: number, rf: number): string[] {
  return assign(shard, Array.from({ length: nodes }, (_, i) => `meili-${i}`), rf);
}

export function ownersOfId(id: string, nodes: number, rf: number): string[] {
  return owners(shardForKey(id, SHARDS), nodes, rf);
}

/** Shards none of whose owners is alive. */
export function uncoveredShards(nodes: number, rf: number, dead: readonly string[]): number[] {
  const out: number[] = [];
  for (let s = 0; s < SHARDS; s++) if (owners(s, nodes, rf).every((n) => dead.includes(n))) out.push(s);
  return out;
}

export interface SeedDoc {
  id: string;
  kind: string;
  title: string;
  n: number;
}

/** Creates `uid` (primary key `id`) holding `count` documents of kind `seed` (`id` filterable too, for fetch-by-ids checks). */
export async function seedIndex(cluster: TestCluster, uid: string, count: number): Promise<SeedDoc[]> {
  const client = cluster.client();
  await client.createIndex(uid, { primaryKey: 'id' }).waitTask({ timeout: 60_000 });
  await client.index(uid).updateSettings({ filterableAttributes: ['kind', 'id'] }).waitTask({ timeout: 60_000 });
  const docs = Array.from({ length: count }, (_, i) => ({ id: `seed-${i}`, kind: 'seed', title: `seed document ${i} ${['red', 'green', 'blue'][i % 3]}`, n: i }));
  await client.index(uid).addDocuments(docs).waitTask({ timeout: 60_000 });
  return docs;
}

export interface SearchOutcome {
  status: number;
  total?: number;
  degraded: string | null;
  code?: string;
  error?: string;
}

/** POST /indexes/{uid}/search with the master key; never throws (connection errors are outcomes). */
export async function search(cluster: TestCluster, uid: string, body: Record<string, unknown>, url = cluster.url): Promise<SearchOutcome> {
  try {
    const res = await fetch(`${url}/indexes/${uid}/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { estimatedTotalHits?: number; totalHits?: number; code?: string };
    return { status: res.status, total: json.estimatedTotalHits ?? json.totalHits, degraded: res.headers.get('x-miroir-degraded'), code: json.code };
  } catch (err) {
    return { status: 0, degraded: null, error: (err as Error).message };
  }
}

export interface WriteOutcome {
  ids: string[];
  status: number;
  taskUid?: number;
  code?: string;
  degraded: string | null;
  /** Set when the request got no HTTP answer (connection refused/reset). */
  connectionError?: string;
  /** Whether the request was sent after the fault was in place (decided by the caller's clock). */
  afterFault: boolean;
}

export async function writeDocs(cluster: TestCluster, uid: string, docs: readonly Record<string, unknown>[], afterFault: boolean, url = cluster.url): Promise<WriteOutcome> {
  const ids = docs.map((d) => String(d.id));
  try {
    const res = await fetch(`${url}/indexes/${uid}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(docs),
    });
    const json = (await res.json().catch(() => ({}))) as { taskUid?: number; code?: string };
    return { ids, status: res.status, taskUid: json.taskUid, code: json.code, degraded: res.headers.get('x-miroir-degraded'), afterFault };
  } catch (err) {
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    return { ids, status: 0, degraded: null, connectionError: cause?.code ?? cause?.message ?? (err as Error).message, afterFault };
  }
}

/** Runs `step` in `workers` loops until `stop()` is called; collects every result. */
export function background<T>(workers: number, step: (worker: number, i: number) => Promise<T>): { results: T[]; stop(): Promise<T[]> } {
  const results: T[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async (_, w) => {
    for (let i = 0; running; i++) {
      results.push(await step(w, i));
      await sleep(5);
    }
  });
  return {
    results,
    async stop() {
      running = false;
      await Promise.all(loops);
      return results;
    },
  };
}

/** Waits until every task is terminal; returns the uids that did not succeed. */
export async function waitTasks(cluster: TestCluster, uids: readonly number[], timeoutMs = 120_000): Promise<number[]> {
  const client = cluster.client();
  const failed: number[] = [];
  for (const uid of uids) {
    const task = await client.tasks.waitForTask(uid, { timeout: timeoutMs, interval: 50 });
    if (task.status !== 'succeeded') failed.push(uid);
  }
  return failed;
}

/** Which of `ids` cannot be fetched through Miroir (POST /documents/fetch with an id filter). */
export async function missingIds(cluster: TestCluster, uid: string, ids: readonly string[]): Promise<string[]> {
  const present = new Set<string>();
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200);
    const res = await cluster.request(`/indexes/${uid}/documents/fetch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: `id IN [${chunk.map((x) => JSON.stringify(x)).join(', ')}]`, fields: ['id'], limit: chunk.length }),
    });
    if (res.status !== 200) throw new Error(`documents/fetch → ${res.status} ${await res.text()}`);
    for (const d of ((await res.json()) as { results: { id: string }[] }).results) present.add(String(d.id));
  }
  return ids.filter((id) => !present.has(id));
}
