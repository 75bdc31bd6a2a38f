import { Injectable } from '@nestjs/common';
import {
  mergeSearchResults,
  nodeSearchParams,
  planShardsForFilter,
  shardFilter,
  withShardFilter,
  type CoveringTarget,
  type NodeSearchResponse,
  type SearchResponse,
} from '@miroir/core';
import type { IndexRecord } from '@miroir/store';
import { IndexRegistry } from '../cluster/index-registry.service';
import { IndexReadSettings } from './index-read-settings.service';
import { queryAffinity } from './query-affinity';
import type { ReadContext } from './read-hooks';
import { ScatterGather, type ReadPlan, type ScatterOutcome } from './scatter-gather.service';
import type { SearchQuery } from './search-params';

/** A read's answer and the headers that go with it (X-Miroir-Degraded, hooks' headers). */
export interface ReadResult<T> {
  readonly body: T;
  readonly headers: Record<string, string>;
}

export interface SearchRun {
  readonly response: SearchResponse;
  readonly outcome: ScatterOutcome<NodeSearchResponse>;
  readonly headers: Record<string, string>;
}

/** What a node is sent: the node-side parameters, restricted to its shards when it holds more. */
export function targetSearchParams(nodeParams: Record<string, unknown>, clientFilter: unknown, target: CoveringTarget): Record<string, unknown> {
  return target.needsShardFilter ? { ...nodeParams, filter: withShardFilter(clientFilter, target.shards) } : nodeParams;
}

/** The shards a search must ask: all, or those owning the primary keys its filter pins. */
export function searchShards(index: IndexRecord, filter: unknown): { shards: readonly number[]; narrowed: boolean } {
  if (filter === undefined || filter === null || !index.primaryKey) return { shards: [...Array(index.shards).keys()], narrowed: false };
  return planShardsForFilter(filter, index.primaryKey, index.shards);
}

/** One index search over the cluster (SPEC §5): plan, scatter, merge. */
@Injectable()
export class SearchService {
  constructor(
    private readonly registry: IndexRegistry,
    private readonly scatter: ScatterGather,
    private readonly settings: IndexReadSettings,
  ) {}

  async search(uid: string, params: SearchQuery, ctx: ReadContext): Promise<ReadResult<SearchResponse>> {
    const index = await this.registry.get(uid);
    const run = await this.execute(this.plan(index, params, ctx), params, ctx);
    return { body: run.response, headers: run.headers };
  }

  plan(index: IndexRecord, params: SearchQuery, ctx: ReadContext): ReadPlan {
    const { shards } = searchShards(index, params.filter);
    return this.scatter.plan({ index, shards, ctx, affinity: queryAffinity(index.uid, params) });
  }

  async execute(plan: ReadPlan, params: SearchQuery, ctx: ReadContext): Promise<SearchRun> {
    const settingsP = this.settings.get(plan.index);
    const nodeParams = nodeSearchParams(params);
    const outcome = await this.scatter.scatter(plan, (client, target) =>
      client.search(plan.index.uid, targetSearchParams(nodeParams, params.filter, target)),
    );
    const degraded = this.scatter.degradedHeader(outcome.uncovered);
    const settings = await settingsP;
    const response = mergeSearchResults(
      params,
      outcome.parts.map((p) => p.value as NodeSearchResponse),
      { faceting: settings.faceting, maxTotalHits: settings.maxTotalHits },
    );
    const headers = { ...this.scatter.responseHeaders(outcome, ctx), ...(degraded ? { 'X-Miroir-Degraded': degraded } : {}) };
    return { response, outcome, headers };
  }

  /** The routing plan of a search, as POST /indexes/{uid}/explain shows it. */
  describe(plan: ReadPlan, params: SearchQuery): Record<string, unknown> {
    const { narrowed } = searchShards(plan.index, params.filter);
    const nodeParams = nodeSearchParams(params);
    return {
      indexUid: plan.index.uid,
      primaryKey: plan.index.primaryKey,
      shardCount: plan.index.shards,
      topologyVersion: plan.table.topologyVersion,
      group: plan.group,
      rotation: plan.rotation,
      unavailableShardsPolicy: this.scatter.policy,
      pkPlanner: { narrowed, shards: narrowed ? plan.shards : null },
      targets: plan.covering.targets.map((t) => ({
        nodeId: t.nodeId,
        group: t.group,
        shards: t.shards,
        shardFilter: t.needsShardFilter ? shardFilter(t.shards) : null,
        params: targetSearchParams(nodeParams, params.filter, t),
      })),
      fallbackShards: plan.covering.fallbackShards,
      uncoveredShards: plan.covering.uncovered,
    };
  }
}
