// Shapes of the admin API answers miroir-ctl reads (apps/api/src/admin, apps/api/src/health).

export interface TopologyNodeView {
  id: string;
  address: string;
  group: number;
  state: string;
  healthy: boolean;
  consecutiveFailures: number;
  latencyMs: number | null;
  lastCheckedAt: string | null;
  lastError: string | null;
}

export interface TopologyView {
  version: number;
  replicationFactor: number;
  replicaGroups: number;
  nodes: TopologyNodeView[];
}

export interface ShardReport {
  shard: number;
  groups: Array<{ group: number; owners: Array<{ node: string; healthy: boolean }>; incoming?: string[] }>;
  available: boolean;
}

export interface IndexShardReport {
  uid: string;
  shards: number;
  primaryKey: string | null;
  topologyVersion: number;
  unavailableShards: number[];
  table: ShardReport[];
}

export interface ShardsView {
  topologyVersion: number;
  indexes: IndexShardReport[];
}

/** Terminus's report, as `GET /_miroir/ready` answers it (200 ready, 503 not ready). */
export interface ReadinessReport {
  status: 'ok' | 'error' | 'shutting_down';
  info?: Record<string, { status: string; [k: string]: unknown }>;
  error?: Record<string, { status: string; [k: string]: unknown }>;
  details?: Record<string, { status: string; [k: string]: unknown }>;
}
