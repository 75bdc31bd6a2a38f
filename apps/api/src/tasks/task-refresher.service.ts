import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { aggregateTaskStatus, hideReservedAttributeNames, inTaskOrder, isTerminal, type TaskError } from '@miroir/core';
import type { Logger } from '@miroir/config';
import { isNodeUnavailable, type Task } from '@miroir/meili';
import {
  indexesWithHeldOutcomes,
  showHeldOutcome,
  showHeldOutcomes,
  unfinishedTasksBefore,
  writeInTaskOrder,
  type OrderedTaskWrite,
  type TaskRecord,
} from '@miroir/store';
import { HealthMonitor } from '../cluster/health-monitor.service';
import { NodeClientsService } from '../cluster/node-clients.service';
import { TopologyService } from '../cluster/topology.service';
import { errors } from '../errors/catalog';
import { DATA_SOURCE, LOGGER } from '../infra/tokens';
import { nodeTasksOf, type StoredNodeTask } from './node-task';
import { finalDetails } from './task-details';

/** Per-poll deadline: a task poll must stay fast even when a node hangs (the SDK polls every 50 ms). */
const POLL_TIMEOUT_MS = 2_000;
/** Node task uids per GET /tasks?uids=… call, keeping URLs short. */
const UIDS_PER_CALL = 200;
/**
 * How long a node task may stay unobservable (node down or unreachable) before the Miroir task
 * fails with `miroir_node_task_lost` instead of waiting forever. A node that comes back within it
 * reports its (WAL-durable) task normally.
 */
export const NODE_TASK_LOST_AFTER_MS = 10 * 60_000;

type NodeAnswer = { kind: 'tasks'; byUid: Map<number, Task> } | { kind: 'unreachable' } | { kind: 'gone' };

/**
 * Brings non-terminal node-write tasks up to date from the node tasks they map to (docs/design.md#tasks):
 * asks each node once for all the task uids it owes (`GET /tasks?uids=…`), aggregates, and
 * persists what changed, in the order of the task's index (docs/architecture.md, "Task order").
 * A workflow task is only shown as far as its workflow reported; terminal tasks never change.
 */
@Injectable()
export class TaskRefresher {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly clients: NodeClientsService,
    private readonly health: HealthMonitor,
    private readonly topology: TopologyService,
  ) {}

  /**
   * Refreshes `tasks` in place. `manager`: the transaction to write in (the reconciler's). A task
   * shows finished only after the earlier tasks of its index (docs/architecture.md, "Task order"),
   * so those are brought up to date first, oldest first, in the same pass.
   */
  async refresh(tasks: readonly TaskRecord[], manager: DataSource | EntityManager = this.ds): Promise<void> {
    const pending = tasks.filter((t) => !isTerminal(t.status));
    if (pending.length === 0) return;
    const chain = await this.withEarlierTasks(pending, manager);
    const wanted = new Map<string, Set<number>>();
    for (const t of chain) {
      if (t.workflowId !== null) continue;
      for (const nt of nodeTasksOf(t)) {
        if (nt.status !== undefined && isTerminal(nt.status)) continue;
        let set = wanted.get(nt.nodeId);
        if (!set) wanted.set(nt.nodeId, (set = new Set()));
        set.add(nt.taskUid);
      }
    }
    const answers = new Map<string, NodeAnswer>();
    await Promise.all([...wanted].map(async ([nodeId, uids]) => answers.set(nodeId, await this.ask(nodeId, [...uids]))));
    const now = Date.now();
    const finished = new Set<string>();
    // Indexes with a task still unfinished in this pass: their later tasks cannot finish yet.
    const held = new Set<string>();
    for (const t of chain) {
      await this.settle(t, answers, now, manager, t.indexUid !== null && held.has(t.indexUid));
      if (t.indexUid === null) continue;
      if (isTerminal(t.status)) finished.add(t.indexUid);
      else held.add(t.indexUid);
    }
    // Workflow reports held behind the tasks that just finished.
    for (const indexUid of finished) await this.guard(() => showHeldOutcomes(manager, indexUid), indexUid);
  }

  /** A node-write task with no node task (an empty batch): done once recorded, in its index's order. */
  async settleEmpty(task: TaskRecord, manager: EntityManager): Promise<void> {
    await this.settle(task, new Map(), Date.now(), manager);
  }

  /** Shows workflow reports held behind tasks that finished without a refresh (reconciler, each tick). */
  async showHeldReports(manager: DataSource | EntityManager = this.ds): Promise<void> {
    for (const indexUid of await indexesWithHeldOutcomes(manager, 100)) await this.guard(() => showHeldOutcomes(manager, indexUid), indexUid);
  }

  /** `pending` (the same objects, refreshed in place) and the unfinished tasks enqueued before them on the same indexes, oldest first. */
  private async withEarlierTasks(pending: readonly TaskRecord[], manager: DataSource | EntityManager): Promise<TaskRecord[]> {
    const indexUids = [...new Set(pending.map((t) => t.indexUid).filter((u): u is string => u !== null))];
    const before = Math.max(...pending.map((t) => t.uid));
    const byUid = new Map<number, TaskRecord>();
    for (const t of await unfinishedTasksBefore(manager, indexUids, before)) byUid.set(t.uid, t);
    for (const t of pending) byUid.set(t.uid, t);
    return [...byUid.values()].sort((a, b) => a.uid - b.uid);
  }

  /** `blocked`: an earlier task of the index is known unfinished, so only new node progress is worth writing. */
  private async settle(task: TaskRecord, answers: Map<string, NodeAnswer>, now: number, manager: DataSource | EntityManager, blocked = false): Promise<void> {
    if (isTerminal(task.status)) return;
    if (task.workflowId === null) return this.apply(task, answers, now, manager, blocked);
    if (blocked) return;
    const shown = await this.guard(() => showHeldOutcome(manager, task.uid), task.uid);
    if (shown) assignShown(task, shown);
  }

  /** Persistence failures are logged, not thrown: the next refresh writes the same truth. */
  private async guard<T>(fn: () => Promise<T>, what: number | string): Promise<T | null> {
    try {
      return await fn();
    } catch (err) {
      this.logger.warn({ task: what, err: (err as Error).message }, 'could not persist task progress');
      return null;
    }
  }

  private async ask(nodeId: string, uids: number[]): Promise<NodeAnswer> {
    if (!this.topology.topology().nodes.some((n) => n.id === nodeId && n.state !== 'removed')) return { kind: 'gone' };
    // A node the health checker considers down is not waited for; its tasks are read when it is back.
    if (!this.health.isHealthy(nodeId)) return { kind: 'unreachable' };
    const client = this.clients.get(nodeId);
    const byUid = new Map<number, Task>();
    try {
      for (let i = 0; i < uids.length; i += UIDS_PER_CALL) {
        const chunk = uids.slice(i, i + UIDS_PER_CALL);
        const page = await client.getTasks({ uids: chunk, limit: chunk.length }, { timeoutMs: POLL_TIMEOUT_MS });
        for (const task of page.results) byUid.set(task.uid, task);
      }
      return { kind: 'tasks', byUid };
    } catch (err) {
      if (isNodeUnavailable(err)) this.health.reportFailure(nodeId, err.message);
      else this.logger.warn({ node: nodeId, err: (err as Error).message }, 'node task poll failed');
      return { kind: 'unreachable' };
    }
  }

  private async apply(task: TaskRecord, answers: Map<string, NodeAnswer>, now: number, manager: DataSource | EntityManager, blocked: boolean): Promise<void> {
    const overdue = now - task.enqueuedAt.getTime() > NODE_TASK_LOST_AFTER_MS;
    let changed = false;
    const nodeTasks: StoredNodeTask[] = nodeTasksOf(task).map((nt) => {
      if (nt.status !== undefined && isTerminal(nt.status)) return nt;
      const answer = answers.get(nt.nodeId);
      if (answer === undefined) return nt;
      if (answer.kind === 'tasks') {
        const seen = answer.byUid.get(nt.taskUid);
        if (seen) {
          const next = fromNodeTask(nt, seen);
          if (next.status !== nt.status || next.startedAt !== nt.startedAt) changed = true;
          return next;
        }
        changed = true;
        return lost(nt, 'is missing on the node (the node lost or pruned it)');
      }
      if (answer.kind === 'gone') {
        changed = true;
        return lost(nt, 'cannot be followed: the node left the topology');
      }
      if (overdue) {
        changed = true;
        return lost(nt, `could not be observed for ${Math.round(NODE_TASK_LOST_AFTER_MS / 60_000)} minutes (node unreachable)`);
      }
      return nt;
    });
    const agg = aggregateTaskStatus(nodeTasks.map((nt) => ({ ...nt, status: nt.status ?? 'enqueued' })));
    // Nothing new, and nothing held back that could be shown now: nothing to write.
    if (!changed && (agg.status === task.status || blocked)) return;
    const topo = this.topology.topology();
    const actual = {
      status: agg.status,
      startedAt: agg.startedAt ? new Date(agg.startedAt) : null,
      // A task with lost node tasks may have no node finish time: it finished when Miroir gave up.
      finishedAt: isTerminal(agg.status) ? new Date(agg.finishedAt ?? now) : null,
    };
    const written = await this.guard(
      () =>
        writeInTaskOrder(manager, task.uid, (row) => {
          const shown = inTaskOrder(actual, { ...row, shownStartedAt: row.startedAt });
          if (!changed && shown.status === row.status) return null;
          const terminal = isTerminal(shown.status);
          return {
            status: shown.status,
            startedAt: shown.startedAt,
            finishedAt: shown.finishedAt,
            heldOutcome: null,
            nodeTasks,
            error: terminal && agg.error ? { ...agg.error } : null,
            details: terminal
              ? finalDetails(task.type, task.details, agg.status, nodeTasks, { groupOf: (id) => topo.nodes.find((n) => n.id === id)?.group, replicationFactor: topo.replicationFactor })
              : task.details,
          };
        }),
      task.uid,
    );
    // Not written (held by another transaction that writes the same truth, or a database error):
    // the node tasks seen are still worth keeping in memory for this answer.
    if (written) assignShown(task, written);
    else task.nodeTasks = nodeTasks;
  }
}

function assignShown(task: TaskRecord, w: OrderedTaskWrite): void {
  task.status = w.status;
  task.startedAt = w.startedAt;
  task.finishedAt = w.finishedAt;
  if (w.error !== undefined) task.error = w.error;
  if (w.details !== undefined) task.details = w.details;
  if (w.nodeTasks !== undefined) task.nodeTasks = w.nodeTasks as TaskRecord['nodeTasks'];
}

/** A node task's error as clients may see it: no reserved attribute names (docs/design.md#reserved-attributes). */
function visibleError(e: TaskError): TaskError {
  return typeof e.message === 'string' ? { ...e, message: hideReservedAttributeNames(e.message) } : e;
}

function fromNodeTask(nt: StoredNodeTask, t: Task): StoredNodeTask {
  const details = (t.details ?? {}) as Record<string, unknown>;
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  return {
    nodeId: nt.nodeId,
    taskUid: nt.taskUid,
    status: t.status,
    error: t.error ? visibleError(t.error as TaskError) : null,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    deletedDocuments: num(details.deletedDocuments),
    indexedDocuments: num(details.indexedDocuments),
    editedDocuments: num(details.editedDocuments),
  };
}

function lost(nt: StoredNodeTask, why: string): StoredNodeTask {
  const at = new Date().toISOString();
  return {
    ...nt,
    status: 'failed',
    error: errors.nodeTaskLost(nt.nodeId, nt.taskUid, why).toBody(),
    startedAt: nt.startedAt ?? null,
    finishedAt: at,
  };
}
