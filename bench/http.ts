// A small Meilisearch-API client over undici, the same code for a dev node and for Miroir, so the
// two targets of every ratio are driven identically (keep-alive pool, same headers, same waits).
import { Agent, request } from 'undici';
import { INDEX_SETTINGS } from './corpus';

export interface Target {
  name: string;
  url: string;
  key: string;
}

const agent = new Agent({ connections: 16, pipelining: 1, keepAliveTimeout: 30_000 });

export async function closeHttp(): Promise<void> {
  await agent.close();
}

export async function call<T = unknown>(t: Target, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await request(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    dispatcher: agent,
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: (text ? JSON.parse(text) : null) as T };
}

export async function must<T = unknown>(t: Target, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const r = await call<T>(t, method, path, body);
  if (r.status >= 400) throw new Error(`${t.name}: ${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Task {
  status: string;
  error?: unknown;
}

/** Polls GET /tasks/{uid} until the task is terminal; throws when it did not succeed. */
export async function waitTask(t: Target, uid: number, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await must<Task>(t, 'GET', `/tasks/${uid}`);
    if (task.status === 'succeeded') return;
    if (task.status === 'failed' || task.status === 'canceled') throw new Error(`${t.name}: task ${uid} ${task.status}: ${JSON.stringify(task.error)}`);
    if (Date.now() > deadline) throw new Error(`${t.name}: task ${uid} still ${task.status} after ${timeoutMs} ms`);
    await sleep(25);
  }
}

/** Creates the index with the benchmark's filterable/sortable settings and waits for both tasks. */
export async function createIndex(t: Target, uid: string): Promise<void> {
  const created = await must<{ taskUid: number }>(t, 'POST', '/indexes', { uid, primaryKey: 'id' });
  await waitTask(t, created.taskUid);
  const settings = await must<{ taskUid: number }>(t, 'PATCH', `/indexes/${uid}/settings`, INDEX_SETTINGS);
  await waitTask(t, settings.taskUid);
}

/** Sends every batch (`inFlight` uploads at a time), then waits for every task: wall milliseconds. */
export async function ingest(t: Target, uid: string, bodies: readonly string[], inFlight = 2): Promise<{ ms: number; ackedMs: number }> {
  const t0 = performance.now();
  const uids: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < bodies.length) {
        const i = next++;
        const r = await must<{ taskUid: number }>(t, 'POST', `/indexes/${uid}/documents`, bodies[i]!);
        uids[i] = r.taskUid;
      }
    }),
  );
  const ackedMs = performance.now() - t0;
  // Tasks finish in order on each node: waiting in order costs one poll per task at most.
  for (const u of uids) await waitTask(t, u);
  return { ms: performance.now() - t0, ackedMs };
}

export async function documentCount(t: Target, uid: string): Promise<number> {
  return (await must<{ numberOfDocuments: number }>(t, 'GET', `/indexes/${uid}/stats`)).numberOfDocuments;
}
