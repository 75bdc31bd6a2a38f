import { Injectable } from '@nestjs/common';
import {
  bestPerDocument,
  mergeSimilar,
  readsReservedAttribute,
  reservedFilterError,
  shardOfKeyString,
  withoutField,
  type CoveringTarget,
  type Hit,
  type PerformanceDetails,
  type SimilarNodeAnswer,
} from '@miroir/core';
import { NodeHttpError, seg, type NodeClient } from '@miroir/meili';
import type { IndexRecord } from '@miroir/store';
import { IndexRegistry } from '../cluster/index-registry.service';
import { MeiliError } from '../errors/meili-error';
import { IndexReadSettings } from './index-read-settings.service';
import { elapsedNs, readPerformanceDetails } from './performance-details';
import { queryAffinity } from './query-affinity';
import type { ReadContext } from './read-hooks';
import { ScatterGather } from './scatter-gather.service';
import { searchShards, targetSearchParams, type ReadResult } from './search.service';
import { referenceEmbeddings } from './similar-reference';
import { invalidSimilarId, type SimilarQuery } from './similar-params';
import { checkFilter } from './search-params';
import { withTenantReference } from './similar-tenant';

/** Meilisearch's similar-documents answer. */
export interface SimilarResponse {
  hits: Hit[];
  id: string;
  processingTimeMs: number;
  limit: number;
  offset: number;
  estimatedTotalHits: number;
  performanceDetails?: PerformanceDetails;
}

/** A similar query whose id is a valid document id (checked by judgeLateFields). */
type ReferenceQuery = SimilarQuery & { readonly id: string };

interface NodeAnswer extends SimilarNodeAnswer {
  readonly performanceDetails?: unknown;
}

/**
 * GET|POST /indexes/{uid}/similar over the cluster (docs/api-compatibility.md). Meilisearch finds
 * the neighbours of the reference document's stored embedding; only the node holding the
 * document's shard has that embedding, so:
 *  1. the document's embeddings are read from a replica of its shard (retrieveVectors);
 *  2. the replica covering that shard in the read plan answers `/similar` itself, restricted to
 *     its shards — it also gives Meilisearch's exact errors (unknown embedder, missing document,
 *     bad filter), in Meilisearch's order, and leaves the reference document out;
 *  3. every other covering node answers a pure vector search (`vector` + `hybrid.semanticRatio`
 *     1) with those embeddings, restricted to its shards: same similarity, same scores;
 *  4. the hits are merged by `_rankingScore`, the totals summed.
 */
@Injectable()
export class SimilarService {
  constructor(
    private readonly registry: IndexRegistry,
    private readonly scatter: ScatterGather,
    private readonly settings: IndexReadSettings,
  ) {}

  /** `tenantRule`: the tenant token's rule filter for the index, which the reference document must pass (similar-tenant.ts). */
  async similar(uid: string, query: SimilarQuery, ctx: ReadContext, tenantRule?: unknown): Promise<ReadResult<SimilarResponse>> {
    const index = await this.registry.get(uid);
    const settings = await this.settings.get(index);
    const home = query.id === null ? 0 : shardOfKeyString(query.id, index.shards);
    await this.judgeLateFields(index, query, home, settings.filterable, ctx);
    const q: ReferenceQuery = { ...query, id: query.id! };
    const embeddings = await referenceEmbeddings(this.scatter, index, q, home, ctx);
    const shards = [...new Set([...searchShards(index, q.filter).shards, home])].sort((a, b) => a - b);
    const plan = this.scatter.plan({ index, shards, ctx, affinity: queryAffinity(uid, { similar: { ...q, offset: undefined, limit: undefined } }) });
    const window = q.offset + q.limit;
    const started = process.hrtime.bigint();
    const deferred: MeiliError[] = [];
    const outcome = await this.scatter.scatter(plan, async (client, target): Promise<NodeAnswer> => {
      if (target.shards.includes(home)) return withTenantReference(client, index, q, tenantRule, () => this.ownerSimilar(client, index, q, target, window));
      // Another node's error is reported only if the owner's answer (Meilisearch's own checks) is fine.
      return this.vectorNeighbours(client, index, q, target, window, embeddings).catch((err: unknown) => {
        if (!(err instanceof NodeHttpError) || err.status >= 500) throw err; // retried on another replica
        deferred.push(MeiliError.fromNode(err.status, err.toMeiliError()));
        return { hits: [] };
      });
    });
    if (deferred.length > 0) throw deferred[0];
    const fanOutNs = elapsedNs(started);
    const degraded = this.scatter.degradedHeader(outcome.uncovered);
    const mergeStart = process.hrtime.bigint();
    const answers = outcome.parts.map((p) => p.value);
    const merged = mergeSimilar(answers, { ...q, maxTotalHits: settings.maxTotalHits });
    const body: SimilarResponse = {
      hits: merged.hits,
      id: q.id,
      processingTimeMs: merged.processingTimeMs,
      limit: q.limit,
      offset: q.offset,
      estimatedTotalHits: merged.estimatedTotalHits,
    };
    if (q.showPerformanceDetails) body.performanceDetails = readPerformanceDetails(answers, fanOutNs, elapsedNs(mergeStart));
    const headers = { ...this.scatter.responseHeaders(outcome, ctx), ...(degraded ? { 'X-Miroir-Degraded': degraded } : {}) };
    return { body, headers };
  }

  /**
   * The id and the filter, which Meilisearch judges only after the embedder (and the document): an
   * id that is not a document id, a filter of the wrong shape, or one reading a reserved attribute
   * is first sent as is (a reserved filter left out) to a node holding the document's shard, whose
   * earlier error, if any, is the client's; otherwise the id's or the filter's own error is.
   */
  private async judgeLateFields(index: IndexRecord, q: SimilarQuery, home: number, filterable: readonly string[], ctx: ReadContext): Promise<void> {
    let late: MeiliError | undefined;
    if (q.id === null) late = invalidSimilarId(q.rawId);
    else {
      try {
        checkFilter(q.filter, 'invalid_similar_filter');
        const reserved = reservedFilterError(q.filter, filterable, { kind: 'documents' });
        if (reserved) late = new MeiliError('invalid_similar_filter', reserved.message);
      } catch (err) {
        if (!(err instanceof MeiliError)) throw err;
        late = err;
      }
    }
    if (late === undefined) return;
    const plan = this.scatter.plan({ index, shards: [home], ctx });
    const body = { id: q.rawId, embedder: q.embedder, limit: 0, ...(late.code === 'invalid_similar_filter' && q.id !== null && isReservedError(q.filter) ? {} : { filter: q.filter }) };
    await this.scatter.scatter(plan, (client) => client.call('POST', `/indexes/${seg(index.uid)}/similar`, { json: body }));
    throw late;
  }

  /** The node holding the reference document: Meilisearch's `/similar`, for the node's shards. */
  private ownerSimilar(client: NodeClient, index: IndexRecord, q: ReferenceQuery, target: CoveringTarget, window: number): Promise<NodeAnswer> {
    const { rawId: _raw, ...fields } = q;
    const body = targetSearchParams({ ...fields, offset: 0, limit: window, showRankingScore: true }, q.filter, target);
    return client.call('POST', `/indexes/${seg(index.uid)}/similar`, { json: body });
  }

  /**
   * Another node: the documents of its shards nearest to the reference embeddings (one vector
   * search per embedding, best score per document), or — with no embedding to search with — only
   * the count of its documents the filter keeps, which is what `/similar` counts.
   */
  private async vectorNeighbours(
    client: NodeClient,
    index: IndexRecord,
    q: ReferenceQuery,
    target: CoveringTarget,
    window: number,
    embeddings: readonly number[][] | null,
  ): Promise<NodeAnswer> {
    if (embeddings === null) return { hits: [] }; // the owner answers "not found" or the embedder error
    const path = `/indexes/${seg(index.uid)}/search`;
    const filter = (p: Record<string, unknown>): Record<string, unknown> => targetSearchParams(p, q.filter, target);
    const common = { showPerformanceDetails: q.showPerformanceDetails || undefined };
    if (embeddings.length === 0) {
      return asNodeAnswer(await client.call<NodeAnswer>('POST', path, { json: filter({ filter: q.filter, limit: 0, ...common }) }));
    }
    const pk = index.primaryKey ?? '';
    const addPk = embeddings.length > 1 && pk !== '' && Array.isArray(q.attributesToRetrieve) && !q.attributesToRetrieve.some((a) => a === '*' || a === pk);
    const params = {
      ...common,
      hybrid: { embedder: q.embedder, semanticRatio: 1 },
      filter: q.filter,
      offset: 0,
      limit: window,
      showRankingScore: true,
      // Documents without an embedding come last in a vector search (similarity null); /similar
      // leaves them out: the details tell them apart (and are removed unless asked for).
      showRankingScoreDetails: true,
      retrieveVectors: q.retrieveVectors || undefined,
      rankingScoreThreshold: q.rankingScoreThreshold ?? undefined,
      attributesToRetrieve: addPk ? [...q.attributesToRetrieve!, pk] : (q.attributesToRetrieve ?? undefined),
    };
    const answers = await Promise.all(embeddings.map((vector) => client.call<NodeAnswer>('POST', path, { json: filter({ ...params, vector }) })));
    let hits = bestPerDocument(
      answers.map((a) => a.hits.filter(hasSimilarity)),
      pk,
    );
    if (addPk) hits = hits.map((h) => withoutField(h, pk));
    return { ...asNodeAnswer(answers[0]!), hits };
  }
}

/** Whether a filter (of a valid shape) reads a reserved attribute: the nodes must not be sent it. */
function isReservedError(filter: unknown): boolean {
  try {
    return readsReservedAttribute(filter);
  } catch {
    return false;
  }
}

/** A vector-search hit that has an embedding (its vectorSort similarity is a number). */
function hasSimilarity(hit: Hit): boolean {
  const details = hit['_rankingScoreDetails'] as { vectorSort?: { similarity?: unknown } } | undefined;
  return typeof details?.vectorSort?.similarity === 'number';
}

/** Only what the merge reads (a search answer's other fields, such as `requestUid`, are dropped). */
function asNodeAnswer(a: NodeAnswer): NodeAnswer {
  return { hits: a.hits ?? [], estimatedTotalHits: a.estimatedTotalHits, processingTimeMs: a.processingTimeMs, performanceDetails: a.performanceDetails };
}

