import { Injectable } from '@nestjs/common';
import { isReservedField, shardFilter } from '@miroir/core';
import type { GlobalStats, IndexStats } from '@miroir/meili';
import type { IndexRecord } from '@miroir/store';
import { HealthMonitor } from '../cluster/health-monitor.service';
import { IndexRegistry } from '../cluster/index-registry.service';
import { NodeClientsService } from '../cluster/node-clients.service';
import { TopologyService } from '../cluster/topology.service';
import type { ReadContext } from './read-hooks';
import { ScatterGather } from './scatter-gather.service';
import type { ReadResult } from './search.service';

interface NodeShare {
  readonly stats: IndexStats;
  /** Documents of the shards this node answers for (all its documents when it answers for all). */
  readonly count: number;
}

const SCALED = ['rawDocumentDbSize', 'numberOfEmbeddings', 'numberOfEmbeddedDocuments'] as const;

/**
 * Index and global stats over one full copy of the data (docs/design.md#read-path): a covering set answers, each
 * node counting only the documents of the shards it answers for (a `_miroir_shard` filtered
 * count), so every document is counted once whatever RG and RF are.
 *
 * A node's `fieldDistribution` and sizes cover every document it holds, including shards another
 * node answers for; they are scaled by the node's share (counted / held). That is exact when a
 * node answers for everything it holds (RF=1, or RF equal to the group size) and an estimate
 * otherwise (documents of one index usually share their fields, which keeps it close).
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly registry: IndexRegistry,
    private readonly scatter: ScatterGather,
    private readonly topology: TopologyService,
    private readonly clients: NodeClientsService,
    private readonly health: HealthMonitor,
  ) {}

  async indexStats(uid: string, ctx: ReadContext): Promise<ReadResult<IndexStats>> {
    return this.statsOf(await this.registry.get(uid), ctx);
  }

  async globalStats(ctx: ReadContext): Promise<ReadResult<GlobalStats>> {
    // The index list from Postgres: one that a succeeded task created or deleted shows on every pod.
    const indexes = await this.registry.currentAll();
    const [perIndex, nodes] = await Promise.all([Promise.all(indexes.map((i) => this.statsOf(i, ctx))), this.nodeGlobalStats()]);
    const out: GlobalStats = {
      databaseSize: nodes.reduce((s, n) => s + (n.databaseSize ?? 0), 0),
      ...(nodes.some((n) => typeof n.usedDatabaseSize === 'number') ? { usedDatabaseSize: nodes.reduce((s, n) => s + (n.usedDatabaseSize ?? 0), 0) } : {}),
      lastUpdate: nodes.reduce<string | null>((m, n) => (n.lastUpdate && (m === null || n.lastUpdate > m) ? n.lastUpdate : m), null),
      indexes: Object.fromEntries(indexes.map((idx, i) => [idx.uid, perIndex[i]!.body])),
    };
    const degraded = perIndex
      .map((r, i) => (r.headers['X-Miroir-Degraded'] ? `index=${indexes[i]!.uid};${r.headers['X-Miroir-Degraded']}` : undefined))
      .filter((d): d is string => d !== undefined);
    return { body: out, headers: degraded.length > 0 ? { 'X-Miroir-Degraded': degraded.join(', ') } : {} };
  }

  private async statsOf(index: IndexRecord, ctx: ReadContext): Promise<ReadResult<IndexStats>> {
    const plan = this.scatter.plan({ index, ctx });
    const outcome = await this.scatter.scatter(plan, async (client, target): Promise<NodeShare> => {
      const [stats, count] = await Promise.all([
        client.stats(index.uid),
        target.needsShardFilter
          ? client.getDocuments(index.uid, { limit: 0, filter: shardFilter(target.shards) }).then((p) => p.total)
          : Promise.resolve(undefined),
      ]);
      return { stats, count: count ?? stats.numberOfDocuments };
    });
    const degraded = this.scatter.degradedHeader(outcome.uncovered);
    const body = combine(outcome.parts.map((p) => p.value));
    return { body, headers: { ...this.scatter.responseHeaders(outcome, ctx), ...(degraded ? { 'X-Miroir-Degraded': degraded } : {}) } };
  }

  /** GET /stats of every healthy node: the cluster's physical database size and last update. */
  private async nodeGlobalStats(): Promise<GlobalStats[]> {
    const ids = this.topology
      .topology()
      .nodes.filter((n) => n.state !== 'removed' && this.health.isHealthy(n.id))
      .map((n) => n.id);
    const settled = await Promise.allSettled(ids.map((id) => this.clients.get(id).globalStats()));
    return settled.filter((s): s is PromiseFulfilledResult<GlobalStats> => s.status === 'fulfilled').map((s) => s.value);
  }
}

function combine(shares: readonly NodeShare[]): IndexStats {
  let numberOfDocuments = 0;
  let isIndexing = false;
  const scaled: Record<string, number> = {};
  const fields = new Map<string, number>();
  for (const { stats, count } of shares) {
    numberOfDocuments += count;
    isIndexing ||= stats.isIndexing === true;
    const factor = stats.numberOfDocuments > 0 ? count / stats.numberOfDocuments : 0;
    for (const k of SCALED) {
      const v = stats[k];
      if (typeof v === 'number') scaled[k] = (scaled[k] ?? 0) + v * factor;
    }
    for (const [field, n] of Object.entries(stats.fieldDistribution ?? {})) {
      if (isReservedField(field)) continue;
      fields.set(field, (fields.get(field) ?? 0) + n * factor);
    }
  }
  const out: IndexStats = { numberOfDocuments, isIndexing, fieldDistribution: {} };
  if ('rawDocumentDbSize' in scaled) {
    out.rawDocumentDbSize = Math.round(scaled['rawDocumentDbSize']!);
    out.avgDocumentSize = numberOfDocuments > 0 ? Math.floor(out.rawDocumentDbSize / numberOfDocuments) : 0;
  }
  for (const k of ['numberOfEmbeddings', 'numberOfEmbeddedDocuments'] as const) {
    if (k in scaled) out[k] = Math.round(scaled[k]!);
  }
  const fieldDistribution: Record<string, number> = {};
  for (const field of [...fields.keys()].sort()) fieldDistribution[field] = Math.min(numberOfDocuments, Math.round(fields.get(field)!));
  out.fieldDistribution = fieldDistribution;
  return out;
}
