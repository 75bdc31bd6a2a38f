import { Inject, Injectable } from '@nestjs/common';
import { coveringSet, queryGroup, type CoveringSet, type CoveringTarget, type ShardTable } from '@miroir/core';
import type { LoadedConfig, Logger } from '@miroir/config';
import { NodeHttpError, NodeUnavailableError, UnknownNodeError, type NodeClient } from '@miroir/meili';
import type { IndexRecord } from '@miroir/store';
import { HealthMonitor } from '../cluster/health-monitor.service';
import { NodeClientsService } from '../cluster/node-clients.service';
import { TopologyService } from '../cluster/topology.service';
import { errors } from '../errors/catalog';
import { MeiliError } from '../errors/meili-error';
import { LOADED_CONFIG, LOGGER } from '../infra/tokens';
import { MetricsService } from '../observability/metrics.service';
import { ReadHooks, type ReadContext } from './read-hooks';

/** Where one read goes before it runs: what explain shows and what scatter starts from. */
export interface ReadPlan {
  readonly index: IndexRecord;
  readonly table: ShardTable;
  readonly group: number;
  readonly rotation: number;
  /** The shards asked for (all, or the PK planner's). */
  readonly shards: readonly number[];
  readonly covering: CoveringSet;
  readonly isUsable: (nodeId: string) => boolean;
}

export interface ScatterPart<T> {
  readonly target: CoveringTarget;
  readonly value: T;
}

export interface ScatterOutcome<T> {
  readonly plan: ReadPlan;
  /** One answer per node call, ordered by node id then first shard: the merge's tie order. */
  readonly parts: ScatterPart<T>[];
  /** Shards no replica could answer, ascending. */
  readonly uncovered: number[];
  /** Nodes that failed during this request (their shards were retried elsewhere). */
  readonly failedNodes: string[];
}

export interface PlanRequest {
  readonly index: IndexRecord;
  /** Only these shards (PK planner, documents by id); every shard by default. */
  readonly shards?: readonly number[];
  readonly ctx: ReadContext;
  /**
   * Routes by this number instead of the per-request sequence (see query-affinity.ts): the same
   * logical query reaches the same group and replicas on every page.
   */
  readonly affinity?: number;
}

/**
 * The answer of a node that is down or failing (or that left the topology since the plan): its
 * shards go to another replica.
 */
function isRetryable(err: unknown): boolean {
  return err instanceof NodeUnavailableError || err instanceof UnknownNodeError || (err instanceof NodeHttpError && err.status >= 500);
}

/**
 * Scatter-gather over a covering set (docs/design.md#read-path): one call per node for all its shards, in parallel;
 * a node that fails has its shards re-planned over the remaining healthy replicas — the same group
 * first, then the other groups (coveringSet's fallback order) — until every shard is answered or
 * none is left to try. A node's 4xx is the client's error (invalid filter…) and is forwarded as is.
 */
@Injectable()
export class ScatterGather {
  /** Per-process request sequence: round robin over groups and replicas for unpaged reads. */
  private seq = 0;

  constructor(
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly topology: TopologyService,
    private readonly clients: NodeClientsService,
    private readonly health: HealthMonitor,
    private readonly hooks: ReadHooks,
    private readonly metrics: MetricsService,
  ) {}

  /** The unavailable-shards policy: `partial` answers what is covered, `error` refuses. */
  get policy(): 'partial' | 'error' {
    return this.loaded.config.cluster.unavailable_shards;
  }

  plan(req: PlanRequest): ReadPlan {
    const topology = this.topology.topology();
    const table = this.topology.table(req.index);
    let seq = req.affinity;
    if (seq === undefined) {
      seq = this.seq++;
      if (this.seq >= Number.MAX_SAFE_INTEGER) this.seq = 0;
    }
    const group = this.hooks.pinnedGroup(req.index, req.ctx, seq) ?? queryGroup(topology, seq);
    // Requests that land on one group alternate between its replicas too.
    const rotation = Math.floor(seq / Math.max(1, topology.groups));
    const allowed = this.hooks.nodeFilter(req.index, req.ctx);
    const isUsable = (id: string): boolean => this.health.isHealthy(id) && (allowed === undefined || allowed(id));
    const shards = req.shards ?? [...Array(req.index.shards).keys()];
    const covering = coveringSet(table, group, { isHealthy: isUsable, rotation, shards });
    return { index: req.index, table, group, rotation, shards, covering, isUsable };
  }

  async scatter<T>(plan: ReadPlan, call: (client: NodeClient, target: CoveringTarget) => Promise<T>): Promise<ScatterOutcome<T>> {
    const parts: ScatterPart<T>[] = [];
    const uncovered: number[] = [];
    const failed = new Set<string>();
    let covering = plan.covering;
    this.metrics.observeFanOut(covering.targets.length, 'search');
    for (;;) {
      uncovered.push(...covering.uncovered);
      const settled = await Promise.allSettled(covering.targets.map(async (t) => call(this.clients.get(t.nodeId), t)));
      const retry: number[] = [];
      let clientError: MeiliError | undefined;
      settled.forEach((s, i) => {
        const target = covering.targets[i]!;
        if (s.status === 'fulfilled') {
          parts.push({ target, value: s.value });
          return;
        }
        const err: unknown = s.reason;
        if (isRetryable(err)) {
          failed.add(target.nodeId);
          retry.push(...target.shards);
          if (err instanceof NodeUnavailableError) this.health.reportFailure(target.nodeId, err.message);
          this.logger.warn({ node: target.nodeId, index: plan.index.uid, err: (err as Error).message }, 'read failed on a node; retrying its shards on another replica');
          return;
        }
        if (err instanceof NodeHttpError) clientError ??= MeiliError.fromNode(err.status, err.toMeiliError());
        else throw err;
      });
      if (clientError) throw clientError;
      if (retry.length === 0) break;
      covering = coveringSet(plan.table, plan.group, {
        isHealthy: (id) => !failed.has(id) && plan.isUsable(id),
        rotation: plan.rotation,
        shards: retry,
      });
    }
    parts.sort((a, b) => (a.target.nodeId < b.target.nodeId ? -1 : a.target.nodeId > b.target.nodeId ? 1 : a.target.shards[0]! - b.target.shards[0]!));
    uncovered.sort((a, b) => a - b);
    return { plan, parts, uncovered, failedNodes: [...failed].sort() };
  }

  /**
   * Applies the unavailable-shards policy: throws 503 miroir_shard_unavailable under `error`, and
   * returns the `X-Miroir-Degraded` value (or undefined when complete) under `partial`.
   */
  degradedHeader(uncovered: readonly number[]): string | undefined {
    if (uncovered.length === 0) return undefined;
    if (this.policy === 'error') throw errors.shardUnavailable(uncovered);
    return `shards=${uncovered.join(',')}`;
  }

  /** Extra headers from the hooks for the nodes that answered. */
  responseHeaders<T>(outcome: ScatterOutcome<T>, ctx: ReadContext): Record<string, string> {
    const nodes = [...new Set(outcome.parts.map((p) => p.target.nodeId))];
    return this.hooks.responseHeaders(outcome.plan.index, nodes, ctx);
  }
}
