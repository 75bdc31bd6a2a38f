// The node's state and its durability: indexes, the task log and API keys live in memory; every
// change goes through the WAL first. Tasks are processed one at a time, in uid order, by a single
// loop; it is also the only writer of index data, which is what lets compaction snapshot the
// indexes between two tasks without copying them.
import { mkdirSync } from 'node:fs';
import { SimError } from './errors';
import type { ErrorObject, IndexState, KeyRecord, TaskPayload, TaskRecord, TaskType, WalRecord } from './model';
import type { Doc } from './search/types';
import { readSnapshot, writeSnapshot, type SnapshotLine } from './storage/snapshot';
import { Wal } from './storage/wal';
import { executeTask, failedDetails, newIndex, putDocument } from './tasks/execute';

/** Compact once the live WAL segment grows past this many bytes (tests lower it to exercise compaction). */
const DEFAULT_COMPACT_AFTER_BYTES = 128 * 1024 * 1024;

export interface SummarizedTask {
  taskUid: number;
  indexUid: string | null;
  status: 'enqueued';
  type: TaskType;
  enqueuedAt: string;
}

export class Store {
  readonly indexes = new Map<string, IndexState>();
  /** tasks[uid] — uids are dense from 0. */
  readonly tasks: TaskRecord[] = [];
  readonly keys = new Map<string, KeyRecord>();
  lastUpdate: string | null = null;
  processing: TaskRecord | null = null;
  /** Test-only (--sim-faults): wait this long before processing each task. */
  indexingDelayMs = 0;

  private nextBatchUid = 0;
  private wal!: Wal;
  private running = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  private constructor(
    readonly dbPath: string,
    private readonly compactAfterBytes: number,
  ) {}

  static async open(dbPath: string, compactAfterBytes = DEFAULT_COMPACT_AFTER_BYTES): Promise<Store> {
    mkdirSync(dbPath, { recursive: true });
    const store = new Store(dbPath, compactAfterBytes);
    let snapshotLsn = 0;
    readSnapshot(dbPath, (line) => {
      if (line.k === 'head') {
        snapshotLsn = line.lsn;
        store.nextBatchUid = line.nextBatchUid;
      } else store.loadSnapshotLine(line);
    });
    const { wal, records } = await Wal.open(dbPath, snapshotLsn);
    store.wal = wal;
    for (const r of records) store.replay(r);
    // Replay re-executed every processed task; the rest are picked up by the loop.
    store.kick();
    return store;
  }

  private loadSnapshotLine(line: Exclude<SnapshotLine, { k: 'head' }>): void {
    switch (line.k) {
      case 'key':
        this.keys.set(line.key.uid, line.key);
        break;
      case 'index': {
        const { uid, primaryKey, createdAt, updatedAt, settings, extra } = line.index;
        const idx = newIndex(uid, primaryKey, createdAt);
        idx.updatedAt = updatedAt;
        idx.settings = settings;
        idx.extra = extra;
        idx.engine.applySettings(settings);
        this.indexes.set(uid, idx);
        break;
      }
      case 'docs': {
        const idx = this.indexes.get(line.i);
        if (idx) for (const [id, doc] of line.d) putDocument(idx, id, doc);
        break;
      }
      case 'task':
        this.tasks[line.task.uid] = line.task;
        if (line.task.finishedAt) this.lastUpdate = line.task.finishedAt;
        break;
    }
  }

  private replay(r: WalRecord): void {
    switch (r.t) {
      case 'enq':
        this.tasks[r.task.uid] = r.task;
        break;
      case 'done': {
        const task = this.tasks[r.uid];
        if (!task) break;
        if (r.status === 'succeeded' && task.payload) {
          try {
            executeTask({ indexes: this.indexes, now: r.startedAt }, task, task.payload);
          } catch {
            // Cannot happen for a deterministic executor; keep the recorded outcome regardless.
          }
        }
        this.finish(task, r);
        break;
      }
      case 'keyPut':
        this.keys.set(r.key.uid, r.key);
        break;
      case 'keyDel':
        this.keys.delete(r.uid);
        break;
    }
  }

  private finish(
    task: TaskRecord,
    r: {
      batchUid: number;
      status: 'succeeded' | 'failed' | 'canceled';
      canceledBy?: number;
      details: Record<string, unknown> | null;
      error: ErrorObject | null;
      startedAt: string;
      finishedAt: string;
    },
  ): void {
    task.batchUid = r.batchUid;
    task.status = r.status;
    if (r.canceledBy !== undefined) task.canceledBy = r.canceledBy;
    task.details = r.details;
    task.error = r.error;
    task.startedAt = r.startedAt;
    task.finishedAt = r.finishedAt;
    delete task.payload;
    this.nextBatchUid = Math.max(this.nextBatchUid, r.batchUid + 1);
    this.lastUpdate = r.finishedAt;
  }

  // ---- tasks -------------------------------------------------------------------------------

  /** Registers a task and resolves once its WAL record is fsynced (only then may we answer 202). */
  async enqueue(
    indexUid: string | null,
    type: TaskType,
    details: Record<string, unknown> | null,
    payload: TaskPayload,
  ): Promise<SummarizedTask> {
    if (this.closed) throw new SimError('internal', 'The node is shutting down.', 503, 'internal');
    const task: TaskRecord = {
      uid: this.tasks.length,
      batchUid: null,
      indexUid,
      status: 'enqueued',
      type,
      canceledBy: null,
      details,
      error: null,
      enqueuedAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      payload,
    };
    this.tasks.push(task);
    const { durable } = this.wal.append({ t: 'enq', task });
    await durable;
    this.kick();
    return { taskUid: task.uid, indexUid, status: 'enqueued', type, enqueuedAt: task.enqueuedAt };
  }

  private kick(): void {
    if (this.running || this.closed) return;
    this.running = true;
    void this.loop().finally(() => {
      this.running = false;
    });
  }

  private nextEnqueued(): TaskRecord | undefined {
    // Tasks finish in uid order, so the first unfinished one is the next to run.
    for (let i = this.firstUnfinished; i < this.tasks.length; i++) {
      const t = this.tasks[i]!;
      if (t.status === 'enqueued') {
        this.firstUnfinished = i;
        return t;
      }
    }
    this.firstUnfinished = this.tasks.length;
    return undefined;
  }
  private firstUnfinished = 0;

  private async loop(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const task = this.nextEnqueued();
      if (!task) break;
      await this.process(task);
      if (this.wal.segmentBytes > this.compactAfterBytes) await this.compact();
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async process(task: TaskRecord): Promise<void> {
    if (this.indexingDelayMs > 0) await new Promise((r) => setTimeout(r, this.indexingDelayMs));
    // Canceled while it waited its turn.
    if (task.status !== 'enqueued') return;
    const payload = task.payload;
    task.status = 'processing';
    task.startedAt = new Date().toISOString();
    this.processing = task;
    let status: 'succeeded' | 'failed' = 'succeeded';
    let details: Record<string, unknown> | null = null;
    let error: ErrorObject | null = null;
    try {
      if (!payload) throw new SimError('internal', 'Task payload is missing.', 500, 'internal');
      details = executeTask({ indexes: this.indexes, now: task.startedAt }, task, payload);
    } catch (err) {
      status = 'failed';
      details = failedDetails(task);
      error = err instanceof SimError ? err.toJSON() : new SimError('internal', String(err), 500, 'internal').toJSON();
    }
    const done = {
      batchUid: this.nextBatchUid++,
      status,
      details,
      error,
      startedAt: task.startedAt,
      finishedAt: new Date().toISOString(),
    };
    const { durable } = this.wal.append({ t: 'done', uid: task.uid, ...done });
    await durable;
    this.processing = null;
    this.finish(task, done);
  }

  /**
   * A taskCancelation of `uids`. Meilisearch runs a cancelation before any other task, so it is run
   * at once: every task of `uids` still enqueued is canceled, in one batch with the cancelation
   * (a task being processed cannot be interrupted here: the dev node processes it synchronously).
   */
  async cancelTasks(uids: readonly number[], details: Record<string, unknown>): Promise<SummarizedTask> {
    if (this.closed) throw new SimError('internal', 'The node is shutting down.', 503, 'internal');
    const task: TaskRecord = {
      uid: this.tasks.length,
      batchUid: null,
      indexUid: null,
      status: 'enqueued',
      type: 'taskCancelation',
      canceledBy: null,
      details: { ...details, canceledTasks: null },
      error: null,
      enqueuedAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
    };
    this.tasks.push(task);
    const summary: SummarizedTask = { taskUid: task.uid, indexUid: null, status: 'enqueued', type: 'taskCancelation', enqueuedAt: task.enqueuedAt };
    this.wal.append({ t: 'enq', task: { ...task, details: { ...task.details } } });
    const batchUid = this.nextBatchUid++;
    const startedAt = new Date().toISOString();
    const targets = uids.map((u) => this.tasks[u]).filter((t): t is TaskRecord => t !== undefined && t.status === 'enqueued' && t.uid !== task.uid);
    const finishedAt = new Date().toISOString();
    for (const t of targets) {
      const r = { batchUid, status: 'canceled' as const, canceledBy: task.uid, details: failedDetails(t), error: null, startedAt, finishedAt };
      this.wal.append({ t: 'done', uid: t.uid, ...r });
      this.finish(t, r);
    }
    const done = { batchUid, status: 'succeeded' as const, details: { ...details, canceledTasks: targets.length }, error: null, startedAt, finishedAt };
    const { durable } = this.wal.append({ t: 'done', uid: task.uid, ...done });
    this.finish(task, done);
    await durable;
    return summary;
  }

  /** Resolves when no task is enqueued or processing. */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  isIndexing(uid: string): boolean {
    return this.processing?.indexUid === uid;
  }

  // ---- keys --------------------------------------------------------------------------------

  async putKey(key: KeyRecord): Promise<void> {
    this.keys.set(key.uid, key);
    await this.wal.append({ t: 'keyPut', key }).durable;
  }

  async deleteKey(uid: string): Promise<void> {
    this.keys.delete(uid);
    await this.wal.append({ t: 'keyDel', uid }).durable;
  }

  // ---- compaction --------------------------------------------------------------------------

  /**
   * Snapshot + WAL truncation. Runs inside the processing loop, so index data cannot change while
   * it is written; tasks enqueued meanwhile land in the new WAL segment (lsn > boundary).
   */
  async compact(): Promise<void> {
    const lsn = this.wal.rotate();
    const tasks = this.tasks.slice();
    const keys = [...this.keys.values()];
    const indexes = [...this.indexes.values()];
    const nextBatchUid = this.nextBatchUid;
    async function* lines(): AsyncGenerator<SnapshotLine> {
      yield { k: 'head', version: 1, lsn, nextTaskUid: tasks.length, nextBatchUid };
      for (const key of keys) yield { k: 'key', key };
      for (const idx of indexes) {
        const { uid, primaryKey, createdAt, updatedAt, settings, extra } = idx;
        yield { k: 'index', index: { uid, primaryKey, createdAt, updatedAt, settings, extra } };
        let chunk: Array<[string, Doc]> = [];
        for (const entry of idx.docs) {
          chunk.push(entry);
          if (chunk.length === 1000) {
            yield { k: 'docs', i: uid, d: chunk };
            chunk = [];
            // Keep serving reads while a large snapshot is written.
            await new Promise<void>((r) => setImmediate(r));
          }
        }
        if (chunk.length > 0) yield { k: 'docs', i: uid, d: chunk };
      }
      for (const task of tasks) yield { k: 'task', task };
    }
    await writeSnapshot(this.dbPath, lines());
    await this.wal.dropRetired();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.wal.close();
  }
}
