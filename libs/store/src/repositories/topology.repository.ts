import type { DataSource, EntityManager } from 'typeorm';
import type { Topology } from '@miroir/core/topology';
import { NodeRecord, type NodeStateColumn } from '../entities/node.entity';
import { TopologyRecord } from '../entities/topology.entity';
import { CHANNELS } from '../notifications';

export interface StoredTopology {
  version: number;
  replicationFactor: number;
  replicaGroups: number;
  nodes: Array<{ id: string; address: string; group: number; state: NodeStateColumn }>;
}

/** The stored topology as @miroir/core's assignment functions take it. */
export function toCoreTopology(stored: StoredTopology): Topology {
  return {
    version: stored.version,
    replicationFactor: stored.replicationFactor,
    groups: stored.replicaGroups,
    nodes: stored.nodes.map((n) => ({ id: n.id, address: n.address, group: n.group, state: n.state })),
  };
}

export interface TopologySeed {
  replicationFactor: number;
  replicaGroups: number;
  nodes: Array<{ id: string; address: string; group: number }>;
}

/** Reads the whole topology in one consistent snapshot; undefined before it is seeded. */
export async function loadTopology(ds: DataSource | EntityManager): Promise<StoredTopology | undefined> {
  const manager = 'manager' in ds ? ds.manager : ds;
  return manager.transaction('REPEATABLE READ', async (tx) => {
    const row = await tx.findOne(TopologyRecord, { where: { id: 1 } });
    if (!row) return undefined;
    const nodes = await tx.find(NodeRecord, { order: { id: 'ASC' } });
    return {
      version: row.version,
      replicationFactor: row.replicationFactor,
      replicaGroups: row.replicaGroups,
      nodes: nodes.map((n) => ({ id: n.id, address: n.address, group: n.group, state: n.state })),
    };
  });
}

/**
 * Writes the first topology from configuration unless Postgres already has one (Postgres is the
 * source of truth afterwards; the config file only seeds). Safe under concurrent starts: the
 * singleton row's primary key decides who seeds.
 */
export async function seedTopology(ds: DataSource, seed: TopologySeed): Promise<boolean> {
  return ds.transaction(async (tx) => {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO topology (id, version, replication_factor, replica_groups) VALUES (1, 1, $1, $2)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [seed.replicationFactor, seed.replicaGroups],
    );
    if (inserted.length === 0) return false;
    for (const n of seed.nodes) {
      await tx.insert(NodeRecord, { id: n.id, address: n.address, group: n.group, state: 'active' });
    }
    await tx.query('SELECT pg_notify($1, $2)', [CHANNELS.topology, '1']);
    return true;
  });
}

/**
 * Runs `change` and bumps the topology version in the same transaction, then notifies every API
 * pod. The row lock on the singleton serialises concurrent topology changes.
 */
export async function changeTopology<T>(ds: DataSource, change: (tx: EntityManager) => Promise<T>): Promise<{ result: T; version: number }> {
  return ds.transaction(async (tx) => {
    const [row]: Array<{ version: string }> = await tx.query('SELECT version FROM topology WHERE id = 1 FOR UPDATE');
    if (!row) throw new Error('topology is not seeded');
    const result = await change(tx);
    const version = Number(row.version) + 1;
    await tx.query('UPDATE topology SET version = $1, updated_at = now() WHERE id = 1', [version]);
    await tx.query('SELECT pg_notify($1, $2)', [CHANNELS.topology, String(version)]);
    return { result, version };
  });
}
