import { Injectable } from '@nestjs/common';
import {
  compareDocsBySort,
  kWayMerge,
  parseSortRules,
  shardOfKeyString,
  stripReserved,
  withShardFilter,
  type CoveringTarget,
  type SortRule,
} from '@miroir/core';
import { seg, type Document, type DocumentsPage, type DocumentsQuery as NodeDocumentsQuery } from '@miroir/meili';
import type { IndexRecord } from '@miroir/store';
import { IndexRegistry } from '../cluster/index-registry.service';
import { errors } from '../errors/catalog';
import type { DocumentsQuery } from './documents-params';
import { IndexReadSettings } from './index-read-settings.service';
import { queryAffinity } from './query-affinity';
import { assertNoReservedFilter } from './reserved-guard';
import type { ReadContext } from './read-hooks';
import { ScatterGather, type ReadPlan, type ScatterOutcome } from './scatter-gather.service';
import { searchShards, type ReadResult } from './search.service';

/** Up to this window (offset + limit) a page is read in one round trip; deeper pages count first. */
const SINGLE_ROUND_WINDOW = 1_000;

/**
 * Documents reads (docs/design.md#read-path).
 *
 * Global order of a listing without `sort`: the covering set's node order (node id ascending),
 * then each node's own order (Meilisearch's internal document order) over the shards that node
 * answers for. A listing is routed by its query affinity (same filter, ids, fields → same group
 * and replicas), so its pages concatenate without duplicates or gaps while node health is
 * unchanged. With `sort`, nodes sort and the pages are merged by the sort values (ties: node
 * order).
 */
@Injectable()
export class DocumentsReadService {
  constructor(
    private readonly registry: IndexRegistry,
    private readonly scatter: ScatterGather,
    private readonly settings: IndexReadSettings,
  ) {}

  async list(uid: string, q: DocumentsQuery, ctx: ReadContext): Promise<ReadResult<DocumentsPage>> {
    const index = await this.registry.get(uid);
    await assertNoReservedFilter(q.filter, async () => (await this.settings.get(index)).filterable, 'invalid_document_filter', { kind: 'documents' });
    const plan = this.scatter.plan({ index, shards: listingShards(index, q), ctx, affinity: queryAffinity(index.uid, q) });
    const sortRules = parseSortQuietly(q.sort);
    const window = q.offset + q.limit;
    let results: Document[];
    let total: number;
    let outcome: ScatterOutcome<DocumentsPage>;
    if (sortRules) {
      ({ results, total, outcome } = await this.sortedPage(plan, q, sortRules));
    } else if (window <= SINGLE_ROUND_WINDOW) {
      outcome = await this.fetch(plan, q, 0, window);
      total = sumTotals(outcome);
      results = outcome.parts.flatMap((p) => p.value.results).slice(q.offset, window);
    } else {
      ({ results, total, outcome } = await this.deepPage(plan, q));
    }
    const degraded = this.scatter.degradedHeader(outcome.uncovered);
    const headers = { ...this.scatter.responseHeaders(outcome, ctx), ...(degraded ? { 'X-Miroir-Degraded': degraded } : {}) };
    return {
      body: { results: results.map((d) => stripReserved(d)), offset: q.offset, limit: q.limit, total },
      headers,
    };
  }

  /** GET …/documents/{id}: one replica of the owning shard, another one if it fails. */
  async getOne(uid: string, id: string, opts: { fields?: string[]; retrieveVectors?: boolean }, ctx: ReadContext): Promise<ReadResult<Document>> {
    const index = await this.registry.get(uid);
    const plan = this.scatter.plan({ index, shards: [shardOfKeyString(id, index.shards)], ctx });
    const outcome = await this.scatter.scatter(plan, (client) =>
      client.call<Document>('GET', `/indexes/${seg(uid)}/documents/${seg(id)}`, {
        query: { fields: opts.fields, retrieveVectors: opts.retrieveVectors },
      }),
    );
    // Answering 404 for a shard nobody could read would be a lie, whatever the policy.
    if (outcome.uncovered.length > 0 || outcome.parts.length === 0) throw errors.shardUnavailable(outcome.uncovered);
    return { body: stripReserved(outcome.parts[0]!.value), headers: this.scatter.responseHeaders(outcome, ctx) };
  }

  private fetch(plan: ReadPlan, q: DocumentsQuery, offset: number, limit: number, fields = q.fields): Promise<ScatterOutcome<DocumentsPage>> {
    return this.scatter.scatter(plan, (client, target) => client.getDocuments(plan.index.uid, nodeQuery(q, target, offset, limit, fields)));
  }

  /** Counts first (limit 0), then reads only the slices of the nodes the page falls on. */
  private async deepPage(plan: ReadPlan, q: DocumentsQuery): Promise<{ results: Document[]; total: number; outcome: ScatterOutcome<DocumentsPage> }> {
    const counts = await this.fetch(plan, q, 0, 0);
    const end = q.offset + q.limit;
    let before = 0;
    const slices = counts.parts.map((p) => {
      const start = before;
      before += p.value.total;
      const from = Math.max(q.offset, start);
      const to = Math.min(end, before);
      return to > from ? { target: p.target, offset: from - start, limit: to - from } : undefined;
    });
    const pages = await Promise.all(
      slices.map(async (s) => {
        if (!s) return [];
        // The same node first (its order is the one counted); another replica if it fails now.
        const pinned: ReadPlan = { ...plan, shards: s.target.shards, covering: { group: plan.group, targets: [s.target], fallbackShards: [], uncovered: [] } };
        const out = await this.scatter.scatter(pinned, (client, target) =>
          client.getDocuments(plan.index.uid, nodeQuery(q, target, s.offset, s.limit, q.fields)),
        );
        return out.parts.flatMap((p) => p.value.results);
      }),
    );
    return { results: pages.flat(), total: sumTotals(counts), outcome: counts };
  }

  /** With `sort`: every node's first offset+limit documents, merged by the sort values. */
  private async sortedPage(
    plan: ReadPlan,
    q: DocumentsQuery,
    rules: SortRule[],
  ): Promise<{ results: Document[]; total: number; outcome: ScatterOutcome<DocumentsPage> }> {
    const window = q.offset + q.limit;
    // The sort attributes must come back to be merged on; they are removed again below.
    const added = q.fields ? rules.map((r) => r.field.split('.')[0]!).filter((f) => !q.fields!.includes(f) && !q.fields!.includes('*')) : [];
    const outcome = await this.fetch(plan, q, 0, window, q.fields ? [...q.fields, ...added] : undefined);
    const merged = kWayMerge(
      outcome.parts.map((p) => p.value.results),
      (a, b) => compareDocsBySort(a, b, rules),
      window,
    ).slice(q.offset);
    const results = added.length === 0 ? merged : merged.map((d) => withoutKeys(d, added));
    return { results, total: sumTotals(outcome), outcome };
  }
}

/** The shards a listing must read: those of the requested ids, and of the keys its filter pins. */
function listingShards(index: IndexRecord, q: DocumentsQuery): number[] {
  let shards = [...searchShards(index, q.filter).shards];
  if (q.ids) {
    const own = new Set(q.ids.map((id) => shardOfKeyString(id, index.shards)));
    shards = shards.filter((s) => own.has(s));
  }
  return shards;
}

function nodeQuery(q: DocumentsQuery, target: CoveringTarget, offset: number, limit: number, fields: string[] | undefined): NodeDocumentsQuery {
  const filter = target.needsShardFilter ? withShardFilter(q.filter, target.shards) : q.filter;
  const out: NodeDocumentsQuery = { offset, limit };
  if (fields !== undefined) out.fields = fields;
  if (filter !== undefined) out.filter = filter as NodeDocumentsQuery['filter'];
  if (q.ids !== undefined) out.ids = q.ids;
  if (q.sort !== undefined) out.sort = q.sort;
  if (q.retrieveVectors !== undefined) out.retrieveVectors = q.retrieveVectors;
  return out;
}

function sumTotals(outcome: ScatterOutcome<DocumentsPage>): number {
  return outcome.parts.reduce((s, p) => s + p.value.total, 0);
}

function parseSortQuietly(sort: readonly string[] | undefined): SortRule[] | undefined {
  if (!sort || sort.length === 0) return undefined;
  try {
    return parseSortRules(sort);
  } catch {
    return undefined; // malformed: the nodes answer Meilisearch's error
  }
}

function withoutKeys(doc: Document, keys: readonly string[]): Document {
  const out: Document = { ...doc };
  for (const k of keys) delete out[k];
  return out;
}
