import { Injectable } from '@nestjs/common';
import { isReservedField, mergeFacetHits, nodeAttributesToSearchOn, type FacetHit, type FacetingOptions, type PerformanceDetails } from '@miroir/core';
import { isNodeHttpError, seg } from '@miroir/meili';
import type { IndexRecord } from '@miroir/store';
import { IndexRegistry } from '../cluster/index-registry.service';
import { NodeClientsService } from '../cluster/node-clients.service';
import { errors } from '../errors/catalog';
import { MeiliError } from '../errors/meili-error';
import { clientFacetNameMessage, clientHasHiddenFacetSearchable, hasHiddenMarker } from './facet-name-errors';
import type { FacetSearchRequest } from './facet-search-params';
import { IndexReadSettings, type ReadSettings } from './index-read-settings.service';
import { queryAffinity } from './query-affinity';
import type { ReadContext } from './read-hooks';
import { assertNoReservedFilter } from './reserved-guard';
import { ScatterGather, type ReadPlan } from './scatter-gather.service';
import { searchShards, targetSearchParams, type ReadResult } from './search.service';

/** Meilisearch's facet-search answer. */
export interface FacetSearchResponse {
  facetHits: FacetHit[];
  facetQuery: string | null;
  processingTimeMs: number;
  performanceDetails?: PerformanceDetails;
}

interface NodeFacetSearchResponse {
  readonly facetHits?: FacetHit[];
  readonly processingTimeMs?: number;
}

/**
 * A facet name nodes are asked about in place of a reserved one: like it, it names no field of any
 * document, so a node answers it exactly as one Meilisearch holding the client's data answers the
 * reserved name (not facet-searchable, or no values).
 */
const PROBE_FACET = '_miroir_facet_probe';

const facetSearchPath = (uid: string): string => `/indexes/${seg(uid)}/facet-search`;

/** The order `faceting.sortFacetValuesBy` gives a facet: its own entry, else `*`, else alpha. */
function orderOf(faceting: FacetingOptions, facet: string): 'alpha' | 'count' {
  return faceting.sortFacetValuesBy?.[facet] ?? faceting.sortFacetValuesBy?.['*'] ?? 'alpha';
}

/**
 * POST /indexes/{uid}/facet-search over the cluster (docs/api-compatibility.md): one covering
 * replica per shard counts the values of its own documents, restricted to its shards; the counts
 * are summed per value and the values kept, ordered and capped as one node would (mergeFacetHits).
 */
@Injectable()
export class FacetSearchService {
  constructor(
    private readonly registry: IndexRegistry,
    private readonly scatter: ScatterGather,
    private readonly settings: IndexReadSettings,
    private readonly clients: NodeClientsService,
  ) {}

  async facetSearch(uid: string, req: FacetSearchRequest, ctx: ReadContext): Promise<ReadResult<FacetSearchResponse>> {
    const index = await this.registry.get(uid);
    const settings = await this.settings.get(index);
    const filter = req.search.filter;
    await assertNoReservedFilter(filter, async () => settings.filterable, 'invalid_search_filter', { kind: 'documents' });
    if (isReservedField(req.facetName)) return this.reservedFacet(index, req, ctx);
    const plan = this.scatter.plan({ index, shards: searchShards(index, filter).shards, ctx, affinity: queryAffinity(uid, { facetSearch: req.nodeBody }) });
    const body = this.nodeBody(index, settings, req);
    const outcome = await this.scatter
      .scatter(plan, (client, target) => {
        const ask = (b: Record<string, unknown>): Promise<NodeFacetSearchResponse> =>
          client.call('POST', facetSearchPath(uid), { json: targetSearchParams(b, filter, target) });
        // A node with explicit searchable attributes refuses Miroir's field list (see SearchService).
        return ask(body).catch((err: unknown) => {
          if (body !== req.nodeBody && isNodeHttpError(err, 'invalid_search_attributes_to_search_on')) return ask(req.nodeBody);
          throw err;
        });
      })
      .catch((err: unknown) => this.rethrowForClient(err, plan, req.facetName));
    const degraded = this.scatter.degradedHeader(outcome.uncovered);
    const nodes = outcome.parts.map((p) => p.value);
    const response: FacetSearchResponse = {
      facetHits: mergeFacetHits(
        nodes.map((n) => n.facetHits ?? []),
        { maxValues: settings.faceting.maxValuesPerFacet ?? 100, sortBy: orderOf(settings.faceting, req.facetName) },
      ),
      facetQuery: req.facetQuery,
      processingTimeMs: nodes.reduce((m, n) => Math.max(m, n.processingTimeMs ?? 0), 0),
    };
    const headers = { ...this.scatter.responseHeaders(outcome, ctx), ...(degraded ? { 'X-Miroir-Degraded': degraded } : {}) };
    return { body: response, headers };
  }

  /** The node body: with the fields to search on named when `q` could match `_miroir_shard`. */
  private nodeBody(index: IndexRecord, settings: ReadSettings, req: FacetSearchRequest): Record<string, unknown> {
    const client = req.search.attributesToSearchOn;
    const searchOn = nodeAttributesToSearchOn(req.search.q, client, { knownFields: index.searchableFields, searchableAll: settings.searchableAll });
    return searchOn === undefined ? req.nodeBody : { ...req.nodeBody, attributesToSearchOn: searchOn };
  }

  /**
   * A reserved facet name: one node (any replica of shard 0) is asked about a probe name that no
   * document has (reserved too, so no client field), and its answer — an error or no values — is
   * the client's, with the client's name in it.
   */
  private async reservedFacet(index: IndexRecord, req: FacetSearchRequest, ctx: ReadContext): Promise<ReadResult<FacetSearchResponse>> {
    const plan = this.scatter.plan({ index, shards: [0], ctx });
    const body = { ...req.nodeBody, facetName: PROBE_FACET };
    const outcome = await this.scatter
      .scatter(plan, (client) => client.call<NodeFacetSearchResponse>('POST', facetSearchPath(index.uid), { json: body }))
      .catch((err: unknown) => this.rethrowForClient(err, plan, req.facetName, PROBE_FACET));
    if (outcome.parts.length === 0) throw errors.shardUnavailable(outcome.uncovered);
    const res = outcome.parts[0]!.value;
    return { body: { facetHits: res.facetHits ?? [], facetQuery: req.facetQuery, processingTimeMs: res.processingTimeMs ?? 0 }, headers: {} };
  }

  /** A node's facet-name error reworded for the client (see facet-name-errors.ts); others as they are. */
  private async rethrowForClient(err: unknown, plan: ReadPlan, facetName: string, asked = facetName): Promise<never> {
    if (!(err instanceof MeiliError) || err.code !== 'invalid_facet_search_facet_name') throw err;
    let keepHidden = false;
    const nodeId = plan.covering.targets[0]?.nodeId;
    if (hasHiddenMarker(err.message) && nodeId !== undefined) {
      const settings = await this.clients.get(nodeId).getSettings(plan.index.uid).catch(() => ({}));
      keepHidden = clientHasHiddenFacetSearchable(settings);
    }
    const message = clientFacetNameMessage(err.message, { keepHidden, asked, attribute: facetName });
    throw new MeiliError(err.code, message, err.status, err.type, err.headers);
  }
}
