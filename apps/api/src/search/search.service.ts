import { Injectable } from '@nestjs/common';
import {
  distinctAttributeOf,
  distinctOptions,
  exactDistinctTotal,
  mergeSearchResults,
  nodeAttributesToSearchOn,
  nodeSearchParams,
  planShardsForFilter,
  echoClientFilter,
  shardFilter,
  withShardFilter,
  type CoveringTarget,
  type DistinctOptions,
  type NodeSearchResponse,
  type PerformanceDetails,
  type SearchResponse,
} from '@miroir/core';
import { isNodeHttpError } from '@miroir/meili';
import { MeiliError } from '../errors/meili-error';
import type { IndexRecord } from '@miroir/store';
import { IndexRegistry } from '../cluster/index-registry.service';
import { IndexReadSettings, type ReadSettings } from './index-read-settings.service';
import { elapsedNs, readPerformanceDetails } from './performance-details';
import { queryAffinity } from './query-affinity';
import { assertNoReservedSearchAttributes } from './reserved-guard';
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

/** The totals of a distinct search made exact when the nodes returned everything (distinct-total.ts). */
function withExactDistinctTotal(response: SearchResponse, params: SearchQuery, nodes: readonly NodeSearchResponse[], attribute: string, maxTotalHits: number): void {
  const exact = exactDistinctTotal(params, nodes, attribute, maxTotalHits);
  if (exact === undefined) return;
  if (response.estimatedTotalHits !== undefined) response.estimatedTotalHits = exact;
  if (response.totalHits !== undefined) {
    response.totalHits = exact;
    response.totalPages = response.hitsPerPage ? Math.ceil(exact / response.hitsPerPage) : 0;
  }
}

interface Prepared {
  readonly settings: ReadSettings;
  readonly distinct: DistinctOptions | undefined;
  readonly nodeParams: Record<string, unknown>;
  readonly fallback?: Record<string, unknown>;
}

/** One index search over the cluster (docs/design.md#read-path): plan, scatter, merge. */
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
    const { settings, distinct, nodeParams, fallback } = await this.prepare(plan.index, params);
    const fanOutStart = process.hrtime.bigint();
    const outcome = await this.scatter
      .scatter(plan, (client, target) => {
        const search = (p: Record<string, unknown>) => client.search(plan.index.uid, targetSearchParams(p, params.filter, target));
        if (!fallback) return search(nodeParams);
        // A node whose searchable attributes are explicit (a settings change not yet seen by this
        // pod) refuses field names outside them; an explicit list never holds a reserved field, so
        // its answer to the client's own parameters is the right one.
        return search(nodeParams).catch((err: unknown) => {
          if (isNodeHttpError(err, 'invalid_search_attributes_to_search_on')) return search(fallback);
          throw err;
        });
      })
      .catch((err: unknown) => {
        // The node echoed the filter it was sent (the client's AND a shard restriction).
        if (err instanceof MeiliError && err.code === 'invalid_search_filter') {
          throw new MeiliError(err.code, echoClientFilter(err.message, params.filter), err.status, err.type, err.headers);
        }
        throw err;
      });
    const fanOutNs = elapsedNs(fanOutStart);
    const degraded = this.scatter.degradedHeader(outcome.uncovered);
    const mergeStart = process.hrtime.bigint();
    const response: SearchResponse & { performanceDetails?: PerformanceDetails } = mergeSearchResults(
      params,
      outcome.parts.map((p) => p.value as NodeSearchResponse),
      { faceting: settings.faceting, maxTotalHits: settings.maxTotalHits, ...(distinct ? { distinct } : {}) },
    );
    if (distinct) withExactDistinctTotal(response, params, outcome.parts.map((p) => p.value as NodeSearchResponse), distinct.attribute, settings.maxTotalHits);
    if (params['showPerformanceDetails'] === true) {
      response.performanceDetails = readPerformanceDetails(outcome.parts.map((p) => p.value), fanOutNs, elapsedNs(mergeStart));
    }
    const headers = { ...this.scatter.responseHeaders(outcome, ctx), ...(degraded ? { 'X-Miroir-Degraded': degraded } : {}) };
    return { response, outcome, headers };
  }

  /**
   * The index's read settings and what every node is sent: the client's parameters with the
   * node-side paging, the distinct attribute when the merge needs to see it, and the fields to
   * search on when the index searches all of them (so `_miroir_shard` is never matched) — then
   * also the parameters without that list, to fall back to.
   */
  private async prepare(index: IndexRecord, params: SearchQuery): Promise<Prepared> {
    const settings = await this.settings.get(index);
    assertNoReservedSearchAttributes(index.uid, params, settings.filterable);
    const distinct = distinctOptions(distinctAttributeOf(params.distinct, settings.distinctAttribute), params.attributesToRetrieve);
    const base = nodeSearchParams(params, distinct);
    const client = params.attributesToSearchOn;
    const searchOn = nodeAttributesToSearchOn(params.q, client, { knownFields: index.searchableFields, searchableAll: settings.searchableAll });
    if (searchOn === undefined) return { settings, distinct, nodeParams: base };
    const added = client == null || client.includes('*');
    return { settings, distinct, nodeParams: { ...base, attributesToSearchOn: searchOn }, ...(added ? { fallback: base } : {}) };
  }

  /** The routing plan of a search, as POST /indexes/{uid}/explain shows it. */
  async describe(plan: ReadPlan, params: SearchQuery): Promise<Record<string, unknown>> {
    const { narrowed } = searchShards(plan.index, params.filter);
    const { nodeParams } = await this.prepare(plan.index, params);
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
