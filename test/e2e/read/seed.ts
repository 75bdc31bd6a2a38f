// Test data for the read-path suites. Documents are placed exactly as Miroir's write path places
// them (same shard table, `_miroir_shard` tagged, `_miroir_shard` filterable on every node) but
// written straight to the nodes, and the index registered in the cluster's database: the read
// path is tested on its own, whatever state the write path is in.
import { join } from 'node:path';
import type { Meilisearch } from 'meilisearch';
import { Client as PgClient } from 'pg';
import { buildShardTable, newFieldPaths, routeDocuments, type Topology } from '@miroir/core';
import { freePort } from '@miroir/embedded';
import type { DevNode } from '@miroir/embedded/dev-node';
import { startTestNode } from '../../support/node';
import type { TestCluster } from '../../support/cluster';
import { testDir, uniqueSuffix } from '../../support/stack';
import { meiliClient } from '../../support/client';

export type Doc = Record<string, unknown>;

export interface IndexSpec {
  uid: string;
  primaryKey: string;
  docs: Doc[];
  filterable?: string[];
  sortable?: string[];
}

export interface ClusterShape {
  replicationFactor: number;
  groups: number;
  shards: number;
}

function topologyOf(cluster: TestCluster, shape: ClusterShape): Topology {
  return {
    version: 1,
    replicationFactor: shape.replicationFactor,
    groups: shape.groups,
    nodes: cluster.nodes.map((n) => ({ id: n.id, address: n.url, group: n.group, state: 'active' as const })),
  };
}

async function prepareIndex(client: Meilisearch, spec: IndexSpec, reserved: boolean): Promise<void> {
  await client.createIndex(spec.uid, { primaryKey: spec.primaryKey }).waitTask({ timeout: 30_000 });
  await client
    .index(spec.uid)
    .updateSettings({
      filterableAttributes: [...(reserved ? ['_miroir_shard'] : []), ...(spec.filterable ?? [])],
      sortableAttributes: spec.sortable ?? [],
    })
    .waitTask({ timeout: 30_000 });
}

/**
 * Seeds an index through Miroir's own API (index creation, settings, documents), as an SDK user
 * does; `MIROIR_READ_SEED=direct` seeds straight to the nodes instead (seedIndexDirect).
 */
export async function seedIndex(cluster: TestCluster, shape: ClusterShape, spec: IndexSpec): Promise<void> {
  if (process.env.MIROIR_READ_SEED === 'direct') return seedIndexDirect(cluster, shape, spec);
  const client = cluster.client();
  const timeout = { timeout: 60_000 };
  const created = await client.createIndex(spec.uid, { primaryKey: spec.primaryKey }).waitTask(timeout);
  if (created.status !== 'succeeded') throw new Error(`index creation failed: ${JSON.stringify(created.error)}`);
  const settings = await client
    .index(spec.uid)
    .updateSettings({ filterableAttributes: spec.filterable ?? [], sortableAttributes: spec.sortable ?? [] })
    .waitTask(timeout);
  if (settings.status !== 'succeeded') throw new Error(`settings update failed: ${JSON.stringify(settings.error)}`);
  const added = await client.index(spec.uid).addDocuments(spec.docs, { primaryKey: spec.primaryKey }).waitTask(timeout);
  if (added.status !== 'succeeded') throw new Error(`document addition failed: ${JSON.stringify(added.error)}`);
}

/** Seeds an index on the cluster's nodes as Miroir would place it, and registers it. */
export async function seedIndexDirect(cluster: TestCluster, shape: ClusterShape, spec: IndexSpec): Promise<void> {
  const table = buildShardTable(topologyOf(cluster, shape), shape.shards);
  const routed = routeDocuments(spec.docs, spec.primaryKey, table, { copy: true });
  await Promise.all(
    cluster.nodes.map(async (node, i) => {
      const client = cluster.nodeClient(i);
      await prepareIndex(client, spec, true);
      const batch = routed.batches.get(node.id) ?? [];
      if (batch.length > 0) await client.index(spec.uid).addDocuments(batch).waitTask({ timeout: 30_000 });
    }),
  );
  const pg = new PgClient({ connectionString: cluster.databaseUrl });
  await pg.connect();
  try {
    // With the field paths Miroir's write path would have recorded (see IndexFields).
    await pg.query(`INSERT INTO indexes (uid, primary_key, shards, state, settings_version, searchable_fields) VALUES ($1, $2, $3, 'ready', 1, $4)`, [
      spec.uid,
      spec.primaryKey,
      shape.shards,
      newFieldPaths(spec.docs, new Set()),
    ]);
  } finally {
    await pg.end();
  }
}

/** The baseline: one node (of the run's kind) holding the whole corpus of each index. */
export async function startBaseline(specs: IndexSpec[]): Promise<{ node: DevNode; client: Meilisearch }> {
  const port = await freePort();
  const key = `baseline-${uniqueSuffix()}-0123456789`;
  const node = await startTestNode({ httpAddr: `127.0.0.1:${port}`, dbPath: join(testDir(), `baseline-${uniqueSuffix()}`), masterKey: key });
  const client = meiliClient(node.url, key);
  for (const spec of specs) {
    await prepareIndex(client, spec, false);
    await client.index(spec.uid).addDocuments(spec.docs).waitTask({ timeout: 30_000 });
  }
  return { node, client };
}

const COLORS = ['red', 'green', 'blue'];

/** 4-letter tokens, all distinct and of the same length: none is another's prefix or typo reach. */
export function tokenOf(i: number): string {
  const a = 'bcdfghjklmnpqrstvwxz';
  return `zq${a[Math.floor(i / a.length) % a.length]}${a[i % a.length]}`;
}

/** `n` documents, each with a token found in no other document. */
export function tokenDocs(n: number): Doc[] {
  return Array.from({ length: n }, (_, i) => ({ id: `t-${i}`, title: `document ${tokenOf(i)} entry`, n: i }));
}

/** `n` products over three colours, with distinct prices and a shared word in every title. */
export function productDocs(n: number): Doc[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i,
    title: `widget number ${i}`,
    color: COLORS[i % 3],
    // A permutation of 0..n-1 scaled, so sort order is total and unlike insertion order.
    price: ((i * 37) % n) * 1.5,
    stock: i % 7,
  }));
}
