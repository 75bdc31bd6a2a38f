// The rebalance's own activities: derive the plan from Postgres (so a rebalance started from the
// Temporal UI with `{}` needs nothing else), and finish by making the base placement equal to what
// the migration overlay says, in one transaction.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { DataSource, EntityManager } from 'typeorm';
import { changeTopology, deleteMigrations, IndexRecord, listMigrations, NodeRecord, TopologyRecord } from '@miroir/store';
import type { WorkerNodeClients } from './node-clients';
import { countShard } from './migration-documents';
import { planMoves, type PlanIndex, type PlannedMove, type PlanTopology } from './rebalance-plan';

export interface RebalanceSettings {
  maxConcurrentMigrations: number;
  pageSize: number;
  /** Default routing grace period of each migration (config rebalance.grace_ms). */
  graceMs?: number;
}

export interface PlannedMoveWithEstimate extends PlannedMove {
  primaryKey: string;
  /** Documents of the shard on its first answering source; null when none answered. */
  estimatedDocuments: number | null;
}

export interface RebalancePlan {
  topologyVersion: number;
  moves: PlannedMoveWithEstimate[];
  estimatedDocuments: number;
  joining: string[];
  draining: string[];
  /** Indexes left out because they are being created or deleted, or have no primary key yet. */
  skippedIndexes: string[];
  settings: RebalanceSettings;
}

export interface FinishResult {
  finished: boolean;
  /** Moves still needed (the topology changed while the rebalance ran): the workflow runs them. */
  remainingMoves: number;
  activated: string[];
  removed: string[];
  rowsDeleted: number;
  topologyVersion: number;
}

const NOT_FINISHED = 'RebalanceNotFinished';

/** Topology and indexes from one connection (a transaction's, when finishing). */
async function snapshot(m: DataSource | EntityManager): Promise<{ topology: PlanTopology; indexes: PlanIndex[]; skipped: string[] }> {
  const manager = 'manager' in m ? m.manager : m;
  const row = await manager.findOne(TopologyRecord, { where: { id: 1 } });
  if (!row) throw ApplicationFailure.nonRetryable('the topology is not seeded yet', 'TopologyNotSeeded');
  const nodeRows = await manager.find(NodeRecord, { order: { id: 'ASC' } });
  const all = await manager.find(IndexRecord, { order: { uid: 'ASC' } });
  const ready = all.filter((i) => i.state === 'ready' && i.primaryKey !== null);
  return {
    topology: {
      version: row.version,
      replicationFactor: row.replicationFactor,
      groups: row.replicaGroups,
      nodes: nodeRows.map((n) => ({ id: n.id, group: n.group, state: n.state })),
    },
    indexes: ready.map((i) => ({ uid: i.uid, primaryKey: i.primaryKey, shards: i.shards })),
    skipped: all.filter((i) => !ready.includes(i)).map((i) => i.uid),
  };
}

export function createRebalanceActivities(ds: DataSource, nodes: WorkerNodeClients, settings: RebalanceSettings) {
  return {
    async planRebalance(input: { estimate?: boolean } = {}): Promise<RebalancePlan> {
      const { topology, indexes, skipped } = await snapshot(ds);
      const moves = planMoves(topology, indexes, await listMigrations(ds));
      const pk = new Map(indexes.map((i) => [i.uid, i.primaryKey ?? 'id']));
      const withEstimates: PlannedMoveWithEstimate[] = [];
      let done = 0;
      // A handful of counts at a time: planning must not hammer the nodes it is about to load.
      const estimateOne = async (m: PlannedMove): Promise<PlannedMoveWithEstimate> => {
        let estimatedDocuments: number | null = null;
        if (input.estimate !== false) {
          for (const id of m.sources) {
            try {
              estimatedDocuments = await countShard(await nodes.get(id), m.index, m.shard, { timeoutMs: 5_000 });
              break;
            } catch {
              // try the next source; an unreachable one leaves the estimate unknown
            }
          }
        }
        Context.current().heartbeat(++done);
        return { ...m, primaryKey: pk.get(m.index)!, estimatedDocuments };
      };
      for (let i = 0; i < moves.length; i += 8) withEstimates.push(...(await Promise.all(moves.slice(i, i + 8).map(estimateOne))));
      return {
        topologyVersion: topology.version,
        moves: withEstimates,
        estimatedDocuments: withEstimates.reduce((a, m) => a + (m.estimatedDocuments ?? 0), 0),
        joining: topology.nodes.filter((n) => n.state === 'joining').map((n) => n.id),
        draining: topology.nodes.filter((n) => n.state === 'draining').map((n) => n.id),
        skippedIndexes: skipped,
        settings,
      };
    },

    /**
     * In one transaction (the topology row locked by changeTopology): re-plan; when nothing is left
     * to move, mark joining nodes active and draining nodes removed and delete the migration rows —
     * the base placement then equals what the overlay said, so routing does not change. When the
     * topology changed meanwhile (moves remain), nothing is written and the workflow goes on.
     */
    async finishRebalance(): Promise<FinishResult> {
      try {
        const { result, version } = await changeTopology(ds, async (tx) => {
          const { topology, indexes } = await snapshot(tx);
          const remaining = planMoves(topology, indexes, await listMigrations(tx));
          if (remaining.length > 0) throw ApplicationFailure.nonRetryable(String(remaining.length), NOT_FINISHED);
          // Through a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
          const ids = (rows: Array<{ id: string }>): string[] => rows.map((r) => r.id);
          const activated = ids(await tx.query(`WITH u AS (UPDATE nodes SET state = 'active', updated_at = now() WHERE state = 'joining' RETURNING id) SELECT id FROM u`));
          const removed = ids(await tx.query(`WITH u AS (UPDATE nodes SET state = 'removed', updated_at = now() WHERE state = 'draining' RETURNING id) SELECT id FROM u`));
          const rowsDeleted = await deleteMigrations(tx);
          return { activated, removed, rowsDeleted };
        });
        return { finished: true, remainingMoves: 0, ...result, topologyVersion: version };
      } catch (err) {
        if (err instanceof ApplicationFailure && err.type === NOT_FINISHED) {
          const row = await ds.getRepository(TopologyRecord).findOneBy({ id: 1 });
          return { finished: false, remainingMoves: Number(err.message), activated: [], removed: [], rowsDeleted: 0, topologyVersion: row?.version ?? 0 };
        }
        throw err;
      }
    },
  };
}
