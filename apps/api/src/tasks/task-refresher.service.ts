import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { aggregateTaskStatus, hideReservedAttributeNames, isTerminal, type TaskError } from '@miroir/core';
import type { Logger } from '@miroir/config';
import { isNodeUnavailable, type Task } from '@miroir/meili';
import { updateTaskProgress, type TaskRecord } from '@miroir/store';
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
 * Brings non-terminal node-write tasks up to date from the node tasks they map to (SPEC §6):
 * asks each node once for all the task uids it owes (`GET /tasks?uids=…`), aggregates, and
 * persists what changed. Workflow tasks and terminal tasks are never touched.
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

  /** Refreshes `tasks` in place. `manager`: the transaction to write in (the reconciler's). */
  async refresh(tasks: readonly TaskRecord[], manager: DataSource | EntityManager = this.ds): Promise<void> {
    const pending = tasks.filter((t) => t.workflowId === null && !isTerminal(t.status));
    if (pending.length === 0) return;
    const wanted = new Map<string, Set<number>>();
    for (const t of pending) {
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
    await Promise.all(pending.map((t) => this.apply(t, answers, now, manager)));
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

  private async apply(task: TaskRecord, answers: Map<string, NodeAnswer>, now: number, manager: DataSource | EntityManager): Promise<void> {
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
    // Also settle a task whose node tasks are all terminal already (e.g. stored by an older pod).
    if (!changed && !nodeTasks.every((nt) => nt.status !== undefined && isTerminal(nt.status))) return;
    const agg = aggregateTaskStatus(nodeTasks.map((nt) => ({ ...nt, status: nt.status ?? 'enqueued' })));
    const terminal = isTerminal(agg.status);
    const topo = this.topology.topology();
    const details = terminal
      ? finalDetails(task.type, task.details, agg.status, nodeTasks, {
          groupOf: (id) => topo.nodes.find((n) => n.id === id)?.group,
          replicationFactor: topo.replicationFactor,
        })
      : task.details;
    const progress = {
      status: agg.status,
      nodeTasks,
      details,
      error: agg.error ? { ...agg.error } : null,
      startedAt: agg.startedAt ? new Date(agg.startedAt) : null,
      // A task with lost node tasks may have no node finish time: it finished when Miroir gave up.
      finishedAt: terminal ? new Date(agg.finishedAt ?? now) : null,
    };
    try {
      await updateTaskProgress(manager, task.uid, progress);
    } catch (err) {
      // The answer below is still right (it is the nodes' truth); the next refresh persists it.
      this.logger.warn({ task: task.uid, err: (err as Error).message }, 'could not persist task progress');
    }
    Object.assign(task, progress);
  }
}

/** A node task's error as clients may see it: no reserved attribute names (SPEC §7.2). */
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
