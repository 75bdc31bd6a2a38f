// Steps 0 and 2 of a shard migration: make sure the index exists on the new owners, then copy the
// shard page by page. The copy runs in chunks (one activity call copies pages for at most
// `chunkMs`) so the workflow can pause between chunks; inside a chunk the cursor is heartbeated
// after every page, and a retried call (the worker was killed) resumes from the last heartbeat.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { isNodeHttpError, type NodeClient, type Settings } from '@miroir/meili';
import type { WorkerNodeClients } from './node-clients';
import { canonicalJson, shardOnly } from './migration-documents';
import { cancellationSignal, heartbeatEvery, onNodeCall, pickSource, throwIfCancelled, writeDocuments } from './migration-nodes';

export interface EnsureIndexInput {
  index: string;
  /** Healthy replicas to read the primary key and settings from, best first. */
  sources: string[];
  targets: string[];
}

export interface CopyCursor {
  /** Offset in the source's filtered document order. */
  offset: number;
  /** Documents written to the targets so far, across chunks, retries and source switches. */
  copied: number;
  /** The source the offset belongs to (offsets are per node). */
  source?: string;
}

export interface CopyChunkInput {
  index: string;
  shard: number;
  sources: string[];
  targets: string[];
  cursor: CopyCursor;
  pageSize: number;
  /** Stop after this long and hand the cursor back (the workflow's pause point). */
  chunkMs: number;
  /** Throttle: wait this long between pages, to spare the nodes' indexing. */
  pageIntervalMs: number;
}

export interface CopyChunkResult extends CopyCursor {
  source: string;
  done: boolean;
  pages: number;
  /** Set when this call resumed from a heartbeat checkpoint of an earlier attempt. */
  resumedFrom?: CopyCursor;
}

/** A node's experimental features, or undefined when its version has no such route. */
async function experimentalFeatures(client: NodeClient): Promise<Record<string, unknown> | undefined> {
  return client.getExperimentalFeatures().catch((err: unknown) => {
    if (isNodeHttpError(err) && err.status === 404) return undefined;
    throw err;
  });
}

const sleep = (ms: number): Promise<void> => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

export function createMigrationCopyActivities(nodes: WorkerNodeClients) {
  return {
    /**
     * Creates the index on targets that lack it (a joining node came after the index) with the
     * source's primary key, and gives every target the source's settings when they differ.
     */
    async ensureIndexOnNodes(input: EnsureIndexInput): Promise<{ primaryKey: string | null; created: string[]; settingsUpdated: string[] }> {
      const created: string[] = [];
      const settingsUpdated: string[] = [];
      if (input.sources.length === 0) return { primaryKey: null, created, settingsUpdated };
      const source = await pickSource(nodes, input.sources, input.index, 0);
      const [info, settings, features] = await onNodeCall(source.id, () =>
        Promise.all([source.client.getIndex(input.index), source.client.getSettings(input.index), experimentalFeatures(source.client)]),
      );
      for (const target of input.targets) {
        await onNodeCall(target, async () => {
          const client = await nodes.get(target);
          // Node-wide flags first (a joining node has Meilisearch's defaults): the index's settings
          // or filters may depend on them (docs/api-compatibility.md, "Instance", /experimental-features).
          if (features !== undefined && canonicalJson(await experimentalFeatures(client)) !== canonicalJson(features)) {
            await client.updateExperimentalFeatures(features);
          }
          const existing = await client.getIndex(input.index).catch((err: unknown) => {
            if (isNodeHttpError(err, 'index_not_found')) return undefined;
            throw err;
          });
          if (existing === undefined) {
            await waitOk(client, target, (await client.createIndex(input.index, info.primaryKey ?? undefined)).taskUid);
            created.push(target);
          } else if (existing.primaryKey !== info.primaryKey && existing.primaryKey != null) {
            throw ApplicationFailure.nonRetryable(
              `index ${input.index} on node ${target} has primary key ${existing.primaryKey}, the source has ${info.primaryKey}`,
              'MigrationPrimaryKeyMismatch',
            );
          }
          const current = await client.getSettings(input.index);
          if (canonicalJson(current) !== canonicalJson(settings)) {
            await waitOk(client, target, (await client.updateSettings(input.index, settings as Settings)).taskUid);
            settingsUpdated.push(target);
          }
        });
      }
      return { primaryKey: info.primaryKey ?? null, created, settingsUpdated };
    },

    async copyShardChunk(input: CopyChunkInput): Promise<CopyChunkResult> {
      const ctx = Context.current();
      const checkpoint = ctx.info.heartbeatDetails as CopyCursor | undefined;
      // A retry of this very call resumes where the killed attempt last checkpointed.
      const start: CopyCursor = checkpoint && checkpoint.copied >= input.cursor.copied ? checkpoint : input.cursor;
      const resumedFrom = checkpoint ? { ...checkpoint } : undefined;
      let source = await pickSource(nodes, input.sources, input.index, input.shard, start.source);
      let cursor: CopyCursor = { ...start, source: source.id };
      if (start.source !== undefined && start.source !== source.id) cursor.offset = 0; // offsets are per node
      const stopTicker = heartbeatEvery(() => cursor);
      const deadline = Date.now() + input.chunkMs;
      let pages = 0;
      try {
        for (;;) {
          throwIfCancelled();
          const page = await onNodeCall(source.id, () =>
            source.client.getDocuments(input.index, { filter: shardOnly(input.shard), offset: cursor.offset, limit: input.pageSize }, { signal: cancellationSignal() }),
          ).catch(async (err: unknown) => {
            if ((err instanceof ApplicationFailure && err.nonRetryable) || cancellationSignal()?.aborted) throw err;
            // The source went away mid-copy: switch to another replica from offset 0 (writes are
            // idempotent upserts, so re-copying is harmless); none left → retry the activity.
            const next = await pickSource(nodes, input.sources.filter((s) => s !== source.id), input.index, input.shard).catch(() => {
              throw err;
            });
            source = next;
            cursor = { offset: 0, copied: cursor.copied, source: next.id };
            return undefined;
          });
          if (page === undefined) continue;
          if (page.results.length > 0) {
            await Promise.all(input.targets.map((t) => writeDocuments(nodes, t, input.index, page.results)));
          }
          pages++;
          cursor = { offset: cursor.offset + page.results.length, copied: cursor.copied + page.results.length, source: source.id };
          ctx.heartbeat(cursor);
          const done = page.results.length < input.pageSize;
          if (done || Date.now() >= deadline) return { ...cursor, source: source.id, done, pages, resumedFrom };
          await sleep(input.pageIntervalMs);
        }
      } finally {
        stopTicker();
      }
    },
  };
}

async function waitOk(client: NodeClient, nodeId: string, taskUid: number): Promise<void> {
  const task = await client.waitForTask(taskUid, { timeoutMs: 5 * 60_000, maxIntervalMs: 250, signal: cancellationSignal() });
  if (task.status !== 'succeeded' && task.error?.code !== 'index_already_exists') {
    throw ApplicationFailure.nonRetryable(`node ${nodeId}: ${task.error?.message ?? `task ${taskUid} ended ${task.status}`}`, 'MigrationNodeTaskFailed', task.error ?? null);
  }
}
