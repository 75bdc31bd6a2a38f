// Issue 14, per-index task order: the tasks of an index run in the order they were enqueued, as on
// one Meilisearch, whichever API pod accepted them and whether or not the client awaited them.
// Four concurrent clients each run, on their own index, a settings change making an attribute
// filterable → documents → a delete by filter on that attribute, without awaiting the first two
// (the sequence of the issue; each iteration filters on an attribute of its own, so that every
// delete depends on the settings change just before it, as the first one on `id` would). Every
// tenth iteration starts on a fresh index, created without a primary key and then given one, also
// without awaiting. Settings and deletes go to one API pod, documents to the other. Every delete
// must succeed and delete exactly its ids; no task may show `startedAt` before `enqueuedAt`, nor
// start before the previous task of its index finished; once a task is seen succeeded, both pods
// answer with its effect.
import type { Meilisearch, Task } from 'meilisearch';
import { meiliClient, TASK_WAIT } from '../../support/client';
import { startTestCluster, type TestCluster } from '../../support/cluster';

// Node tasks of all indexes run one batch at a time on each node: on a loaded 2-core machine a
// tiny batch takes a second, so the bound is generous (an idle machine runs this in well under
// two minutes).
jest.setTimeout(900_000);

const CLIENTS = 4;
/**
 * Every iteration costs each node about three tasks, and a Meilisearch 1.50 node takes about half a
 * second per task here however small: 100 iterations (what CI runs, `.ci/run`) take about five
 * minutes, so a local `npm test` runs 40 unless MIROIR_TASK_ORDER_ITERATIONS says otherwise.
 */
const ITERATIONS = iterations(process.env.MIROIR_TASK_ORDER_ITERATIONS, 40);

function iterations(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < CLIENTS || n % CLIENTS !== 0) throw new Error(`MIROIR_TASK_ORDER_ITERATIONS must be a multiple of ${CLIENTS}, got ${raw}`);
  return n;
}
const FRESH_INDEX_EVERY = 10;

interface Pods {
  a: Meilisearch;
  b: Meilisearch;
}

const report = (list: string[]) => ({ count: list.length, first: list.slice(0, 20) });

describe('per-index task order (3 nodes, RF=2, two API pods)', () => {
  let cluster: TestCluster;
  let pods: Pods;
  const indexesUsed: string[] = [];
  /** What the iterations found wrong, collected for one report. */
  const problems: string[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 3, replicationFactor: 2, shards: 8 });
    const second = await cluster.startExtraApi();
    pods = { a: cluster.client(), b: meiliClient(second.url, cluster.masterKey) };
  }, 180_000);

  afterAll(() => cluster?.stop());

  it(`keeps settings → documents → delete by filter in order, ${ITERATIONS} times over ${CLIENTS} concurrent clients`, async () => {
    const started = Date.now();
    await Promise.all(Array.from({ length: CLIENTS }, (_, k) => runClient(k, ITERATIONS / CLIENTS)));
    process.stderr.write(`[task-order] ${ITERATIONS} iterations in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    expect(report(problems)).toEqual({ count: 0, first: [] });
  });

  it('shows enqueuedAt ≤ startedAt ≤ finishedAt, and no task of an index starting before the previous one finished', async () => {
    const timing: string[] = [];
    for (const uid of indexesUsed) {
      const tasks = (await pods.b.tasks.getTasks({ indexUids: [uid], limit: 1000, reverse: true })).results;
      expect(tasks.length).toBeGreaterThan(0);
      let previous: Task | undefined;
      for (const t of tasks) {
        if (t.status !== 'succeeded') timing.push(`task ${t.uid} of ${uid} is ${t.status}`);
        const [enq, sta, fin] = [Date.parse(t.enqueuedAt), Date.parse(t.startedAt!), Date.parse(t.finishedAt!)];
        if (!(enq <= sta && sta <= fin)) timing.push(`task ${t.uid} of ${uid}: enqueued ${t.enqueuedAt}, started ${t.startedAt}, finished ${t.finishedAt}`);
        if (previous && sta < Date.parse(previous.finishedAt!)) {
          timing.push(`task ${t.uid} of ${uid} started ${t.startedAt}, before task ${previous.uid} finished (${previous.finishedAt})`);
        }
        previous = t;
      }
    }
    expect(report(timing)).toEqual({ count: 0, first: [] });
  });

  /** One client: its own index; settings and deletes through one pod, documents through the other. */
  async function runClient(k: number, iterations: number): Promise<void> {
    const [first, second] = k % 2 === 0 ? [pods.a, pods.b] : [pods.b, pods.a];
    let uid = '';
    for (let i = 0; i < iterations; i++) {
      const enqueued: number[] = [];
      if (i % FRESH_INDEX_EVERY === 0) {
        uid = `order_${k}_${i}`;
        indexesUsed.push(uid);
        enqueued.push((await first.createIndex(uid)).taskUid);
        const pk = await second.updateIndex(uid, { primaryKey: 'id' });
        enqueued.push(pk.taskUid);
        await checkPrimaryKey(uid, pk.taskUid);
      }
      const field = `k${i}`;
      const base = i * 10;
      const settings = await first.index(uid).updateFilterableAttributes([field]);
      enqueued.push(settings.taskUid);
      const docs = [1, 2, 3].map((n) => ({ id: base + n, [field]: base + n }));
      enqueued.push((await second.index(uid).addDocuments(docs)).taskUid);
      const deletion = await first.index(uid).deleteDocuments({ filter: `${field} IN [${base + 1}, ${base + 2}]` }).waitTask(TASK_WAIT);
      if (deletion.status !== 'succeeded' || deletion.details?.deletedDocuments !== 2) {
        problems.push(`${uid} iteration ${i}: delete by filter ${deletion.status} (${JSON.stringify(deletion.error ?? deletion.details)})`);
      }
      // The delete finished, so every earlier task of the index has finished too.
      for (const taskUid of enqueued) {
        const t = await second.tasks.getTask(taskUid);
        if (t.status !== 'succeeded') problems.push(`${uid} iteration ${i}: task ${t.uid} (${t.type}) is ${t.status} after the later delete finished ${JSON.stringify(t.error ?? '')}`);
      }
      await checkFilterable(uid, settings.taskUid, field);
      const left = await second
        .index(uid)
        .getDocuments({ filter: `${field} >= ${base + 1} AND ${field} <= ${base + 3}` })
        .catch((err: Error) => ({ results: [{ id: err.message }] }));
      const ids = left.results.map((d) => d.id);
      if (JSON.stringify(ids) !== JSON.stringify([base + 3])) problems.push(`${uid} iteration ${i}: documents left ${JSON.stringify(ids)}`);
    }
  }

  /** Once the primary-key change is seen succeeded (on one pod), both pods show the key. */
  async function checkPrimaryKey(uid: string, taskUid: number): Promise<void> {
    const task = await pods.a.tasks.waitForTask(taskUid, TASK_WAIT);
    if (task.status !== 'succeeded') {
      problems.push(`${uid}: primary-key task ${task.status} ${JSON.stringify(task.error)}`);
      return;
    }
    for (const [name, pod] of Object.entries(pods)) {
      const seen = await pod.getIndex(uid);
      if (seen.primaryKey !== 'id') problems.push(`${uid}: pod ${name} shows primary key ${String(seen.primaryKey)} after its task succeeded`);
      const listed = (await pod.getIndexes({ limit: 1000 })).results.find((r: { uid: string }) => r.uid === uid);
      if (listed?.primaryKey !== 'id') problems.push(`${uid}: pod ${name} lists primary key ${String(listed?.primaryKey)} after its task succeeded`);
    }
  }

  /** Once the settings change is seen succeeded, both pods answer with it. */
  async function checkFilterable(uid: string, taskUid: number, field: string): Promise<void> {
    const task = await pods.b.tasks.waitForTask(taskUid, TASK_WAIT);
    if (task.status !== 'succeeded') return; // reported above
    for (const [name, pod] of Object.entries(pods)) {
      const filterable = await pod.index(uid).getFilterableAttributes();
      if (JSON.stringify(filterable) !== JSON.stringify([field])) problems.push(`${uid}: pod ${name} shows filterable ${JSON.stringify(filterable)} after the change succeeded`);
    }
  }
});
