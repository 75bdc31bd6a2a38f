import type { DataSource } from 'typeorm';
import { NodeClients, type NodeClient } from '@miroir/meili';
import { loadTopology, type StoredTopology } from '@miroir/store';

export interface WorkerNodeClientsOptions {
  /** MIROIR_NODE_MASTER_KEY; never logged. */
  masterKey?: string;
  timeoutMs?: number;
  connections?: number;
}

/** Topology reads are cheap (one indexed row and the node list) but not free: reuse one briefly. */
const TOPOLOGY_TTL_MS = 1_000;

/**
 * Node clients for activities, following the topology in Postgres (the worker has no NOTIFY
 * listener: every activity that needs nodes reloads a snapshot at most once a second, which is
 * fresh enough for operations that take seconds and retry anyway).
 */
export class WorkerNodeClients {
  private readonly clients: NodeClients;
  private snapshot?: { at: number; topology: StoredTopology };

  constructor(
    private readonly ds: DataSource,
    options: WorkerNodeClientsOptions,
  ) {
    this.clients = new NodeClients([], { masterKey: options.masterKey, timeoutMs: options.timeoutMs, connections: options.connections ?? 8 });
  }

  async topology(): Promise<StoredTopology> {
    if (this.snapshot && Date.now() - this.snapshot.at < TOPOLOGY_TTL_MS) return this.snapshot.topology;
    const topology = await loadTopology(this.ds);
    if (!topology) throw new Error('the topology is not seeded yet');
    await this.clients.sync(topology.nodes.filter((n) => n.state !== 'removed'));
    this.snapshot = { at: Date.now(), topology };
    return topology;
  }

  /**
   * Every node that holds or is about to hold index data: all but removed ones. Joining nodes take
   * part so a migration finds the index there; failed ones too, because their data comes back.
   */
  async indexNodeIds(): Promise<string[]> {
    const t = await this.topology();
    return t.nodes.filter((n) => n.state !== 'removed').map((n) => n.id);
  }

  async get(nodeId: string): Promise<NodeClient> {
    await this.topology();
    return this.clients.get(nodeId);
  }

  close(): Promise<void> {
    return this.clients.close();
  }
}
