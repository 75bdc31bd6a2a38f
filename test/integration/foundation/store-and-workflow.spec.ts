import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { IndexRecord, MIGRATIONS, openStore, TaskRecord } from '@miroir/store';
import { createMiroirWorker } from '../../../apps/worker/src/worker';
import { createTestDatabase, temporalAddress, uniqueSuffix } from '../../support/stack';

describe('store migrations on real Postgres', () => {
  let url: string;
  const opened: DataSource[] = [];
  beforeAll(async () => {
    url = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(opened.map((ds) => ds.destroy()));
  });

  it('applies every migration exactly once when two processes start together', async () => {
    const [a, b] = await Promise.all([openStore(url), openStore(url)]);
    opened.push(a, b);
    const rows: Array<{ name: string }> = await a.query('SELECT name FROM miroir_migrations ORDER BY id');
    expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
  });

  it('hands out integer task uids from a sequence and round-trips entities', async () => {
    const ds = opened[0]!;
    const tasks = ds.getRepository(TaskRecord);
    const t1 = await tasks.save(tasks.create({ type: 'documentAdditionOrUpdate', status: 'enqueued', indexUid: 'movies', enqueuedAt: new Date(), nodeTasks: [{ nodeId: 'meili-0', taskUid: 7 }] }));
    const t2 = await tasks.save(tasks.create({ type: 'documentDeletion', status: 'enqueued', indexUid: 'movies', enqueuedAt: new Date() }));
    expect(typeof t1.uid).toBe('number');
    expect(t2.uid).toBe(t1.uid + 1);
    const read = await tasks.findOneByOrFail({ uid: t1.uid });
    expect(read.nodeTasks).toEqual([{ nodeId: 'meili-0', taskUid: 7 }]);
    const indexes = ds.getRepository(IndexRecord);
    await indexes.save(indexes.create({ uid: 'movies', primaryKey: 'id', shards: 64 }));
    expect((await indexes.findOneByOrFail({ uid: 'movies' })).settingsVersion).toBe(0);
  });
});

describe('a real workflow on the worker against the Temporal dev server', () => {
  let ds: DataSource;
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;
  const taskQueue = `test-${uniqueSuffix()}`;

  beforeAll(async () => {
    ds = await openStore(await createTestDatabase());
    const connection = await NativeConnection.connect({ address: temporalAddress() });
    worker = await createMiroirWorker({ connection, namespace: 'default', taskQueue, ds });
    running = worker.run();
    client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await client?.connection.close();
    await ds?.destroy();
  });

  it('taskPruneWorkflow deletes terminal tasks past the TTL and keeps the rest', async () => {
    const day = 24 * 3600 * 1000;
    const old = new Date(Date.now() - 10 * day);
    const recent = new Date(Date.now() - 1 * day);
    const tasks = ds.getRepository(TaskRecord);
    const make = (status: TaskRecord['status'], finishedAt: Date | null) =>
      tasks.create({ type: 'documentAdditionOrUpdate', status, enqueuedAt: old, finishedAt, indexUid: 'movies' });
    const saved = await tasks.save([
      make('succeeded', old),
      make('failed', old),
      make('canceled', old),
      make('succeeded', recent),
      make('processing', null),
    ]);
    const result = await client.workflow.execute('taskPruneWorkflow', {
      taskQueue,
      workflowId: `task-prune-${uniqueSuffix()}`,
      args: [{ ttlSeconds: 7 * 24 * 3600, batchSize: 2 }],
      workflowExecutionTimeout: '45s',
    });
    expect(result).toEqual({ deleted: 3 });
    const left = await tasks.find({ order: { uid: 'ASC' } });
    expect(left.map((t) => t.uid)).toEqual([saved[3]!.uid, saved[4]!.uid]);
  });
});
