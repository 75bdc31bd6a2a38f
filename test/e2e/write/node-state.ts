// Helpers that look at the dev nodes directly (not through Miroir), for assertions about where
// documents live and whether a node received a write.
import { buildShardTable, shardForKey, type ShardTable } from '@miroir/core';
import type { TestCluster } from '../../support/cluster';

export type Doc = Record<string, unknown>;

/** Every document node i holds for `uid` (empty when the node has no such index). */
export async function nodeDocuments(cluster: TestCluster, i: number, uid: string): Promise<Doc[]> {
  try {
    const page = await cluster.nodeClient(i).index(uid).getDocuments<Doc>({ limit: 100_000 });
    return page.results;
  } catch (err) {
    if ((err as { cause?: { code?: string } }).cause?.code === 'index_not_found') return [];
    throw err;
  }
}

/** Per node: document count of `uid` and total task count (a write always enqueues a node task). */
export async function nodeWriteState(cluster: TestCluster, uid: string): Promise<Array<{ docs: number; tasks: number }>> {
  return Promise.all(
    cluster.nodes.map(async (_, i) => {
      const docs = (await nodeDocuments(cluster, i, uid)).length;
      const tasks = (await cluster.nodeClient(i).tasks.getTasks({ limit: 1 })).total ?? 0;
      return { docs, tasks };
    }),
  );
}

/** How many nodes hold each document id (by primary key `pk`). */
export async function copiesById(
  cluster: TestCluster,
  uid: string,
  opts: { pk?: string; skipNodes?: number[] } = {},
): Promise<{ copies: Map<string, number>; perNode: number[] }> {
  const pk = opts.pk ?? 'id';
  const copies = new Map<string, number>();
  const perNode: number[] = [];
  for (let i = 0; i < cluster.nodes.length; i++) {
    if (opts.skipNodes?.includes(i)) continue;
    const docs = await nodeDocuments(cluster, i, uid);
    perNode.push(docs.length);
    for (const d of docs) copies.set(String(d[pk]), (copies.get(String(d[pk])) ?? 0) + 1);
  }
  return { copies, perNode };
}

/** The routing table Miroir uses for this cluster (same pure function, same inputs). */
export function shardTable(cluster: TestCluster, replicationFactor: number, groups: number, shards = 64): ShardTable {
  return buildShardTable(
    {
      version: 1,
      replicationFactor,
      groups,
      nodes: cluster.nodes.map((n) => ({ id: n.id, address: n.url, group: n.group, state: 'active' as const })),
    },
    shards,
  );
}

export function shardOf(id: string | number, shards = 64): number {
  return shardForKey(id, shards);
}

export async function status(res: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
