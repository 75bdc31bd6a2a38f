import { z } from 'zod';

// The one configuration schema of Miroir. YAML keys are snake_case, as operators write them.
// Every object is strict: an unknown key is an error that names it, never silently ignored.
// Secrets (master, admin and node keys, the database URL) are NOT part of it: they come only from
// the environment (see secrets.ts), so they can never end up in a config file or a config dump.

const port = z.number().int().min(1).max(65535);
const positiveInt = z.number().int().positive();
const nodeId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'node ids use letters, digits, and _ . : -');

export const nodeSeedSchema = z.strictObject({
  id: nodeId,
  address: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://10.0.0.5:7700' }),
  group: z.number().int().min(0).default(0),
});

export const configSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: port.default(7700),
      /** Separate Prometheus port (0 disables it). */
      metrics_port: z.number().int().min(0).max(65535).default(9464),
      /** Largest accepted request body, as Meilisearch's --http-payload-size-limit (100 MB). */
      max_body_bytes: positiveInt.default(100 * 1024 * 1024),
      request_timeout_ms: positiveInt.default(30_000),
      /** Public URL of the Temporal Web UI, used for links in admin answers. */
      temporal_ui_url: z.url().default('http://127.0.0.1:8233'),
    })
    .prefault({}),
  cluster: z
    .strictObject({
      shards: z.number().int().min(1).max(4096).default(64),
      replication_factor: z.number().int().min(1).max(16).default(2),
      replica_groups: z.number().int().min(1).max(64).default(1),
      write_quorum: z.enum(['majority', 'one', 'all']).default('majority'),
      unavailable_shards: z.enum(['partial', 'error']).default('partial'),
    })
    .prefault({}),
  /** Seed topology: used only when Postgres holds no topology yet. */
  nodes: z.array(nodeSeedSchema).default([]),
  node_client: z
    .strictObject({
      timeout_ms: positiveInt.default(10_000),
      connections_per_node: positiveInt.default(32),
    })
    .prefault({}),
  health: z
    .strictObject({
      interval_ms: positiveInt.default(2_000),
      timeout_ms: positiveInt.default(1_000),
      unhealthy_threshold: positiveInt.default(3),
      recovery_threshold: positiveInt.default(2),
    })
    .prefault({}),
  tasks: z
    .strictObject({
      ttl_seconds: positiveInt.default(7 * 24 * 3600),
      reconcile_interval_ms: positiveInt.default(1_000),
    })
    .prefault({}),
  temporal: z
    .strictObject({
      address: z.string().min(1).default('127.0.0.1:7233'),
      namespace: z.string().min(1).default('default'),
      task_queue: z.string().min(1).default('miroir'),
    })
    .prefault({}),
  rebalance: z
    .strictObject({
      max_concurrent_migrations: positiveInt.default(2),
      page_size: z.number().int().min(1).max(10_000).default(1_000),
      /**
       * How long a shard migration waits after changing its routing (dual-write on, cut-over) before
       * going on, so every API pod routes by the change. Pods learn it by NOTIFY at once, poll every
       * second, and refuse writes by a table not confirmed within 2 s (TopologyService.writeTable):
       * the wait must exceed that bound plus a write's time in flight.
       */
      grace_ms: z
        .number()
        .int()
        .min(3_000, 'must be at least 3000: API pods may route writes by a topology up to 2 s old, and a migration must outwait that')
        .max(600_000)
        .default(6_000),
    })
    .prefault({}),
  /** The background settings drift check (docs/settings-and-indexes.md): how often every node's settings are compared. */
  settings_drift: z.strictObject({ interval_ms: z.number().int().min(1_000).default(60_000) }).prefault({}),
  /**
   * Anti-entropy (docs/design.md#workflows): writes stamp documents with `_miroir_updated_at`, and a Temporal
   * Schedule compares the replicas of every shard and repairs them. Off by default: stamping adds
   * a field to every stored document, and the check reads every document of every replica.
   */
  anti_entropy: z
    .strictObject({
      enabled: z.boolean().default(false),
      interval_ms: z.number().int().min(1_000).default(600_000),
      /** Documents per page when reading a shard from a replica. */
      page_size: z.number().int().min(1).max(10_000).default(1_000),
      /**
       * How long differences found in a shard are left to settle before they are read again and
       * repaired: writes in flight (sent, not yet applied everywhere) look like differences.
       */
      settle_ms: z.number().int().min(0).max(600_000).default(15_000),
      /** Shards compared at once. */
      concurrency: z.number().int().min(1).max(64).default(2),
    })
    .prefault({}),
  idempotency: z.strictObject({ ttl_seconds: positiveInt.default(24 * 3600) }).prefault({}),
  sessions: z
    .strictObject({
      ttl_seconds: positiveInt.default(3600),
      wait_strategy: z.enum(['block', 'route_pin']).default('block'),
      max_wait_ms: positiveInt.default(5_000),
      max_sessions: positiveInt.default(100_000),
    })
    .prefault({}),
  tenants: z
    .strictObject({
      mode: z.enum(['none', 'header', 'api_key', 'explicit']).default('none'),
      explicit: z.record(z.string(), z.number().int().min(0)).default({}),
      dedicated_groups: z.array(z.number().int().min(0)).default([]),
      fallback: z.enum(['hash', 'random', 'reject']).default('hash'),
    })
    .prefault({}),
  log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info') }).prefault({}),
});

export type MiroirConfig = z.infer<typeof configSchema>;
export type NodeSeed = z.infer<typeof nodeSeedSchema>;
