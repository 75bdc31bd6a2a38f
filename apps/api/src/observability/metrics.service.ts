import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { HealthMonitor } from '../cluster/health-monitor.service';
import { TopologyService } from '../cluster/topology.service';

/** What a degraded answer was degraded by (label of miroir_degraded_responses_total). */
export type DegradedKind = 'read_partial' | 'write_quorum' | 'settings_inconsistent' | (string & {});

/** Which path fanned out (label of miroir_fanout_nodes). */
export type FanOutOp = 'search' | 'multi_search' | 'documents' | 'stats' | 'write' | 'broadcast' | (string & {});

/** Why a request was refused by the auth guard (never the key itself). */
export type AuthFailure = 'missing_header' | 'invalid_key' | 'forbidden' | 'admin';

// Fan-out sizes are node counts: small integers, with headroom for large clusters.
const FANOUT_BUCKETS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 128];
// From a cached health answer (~1 ms) to the request timeout (30 s by default).
// A scrape waits at most this long for its hooks, then serves the last values.
const SCRAPE_HOOK_BUDGET_MS = 2_000;
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Every Prometheus metric of the API process (docs/observability.md), on its own registry so that nothing else
 * in the process (or a second app in a test) can collide with it. Other modules record through the
 * typed methods below instead of touching prom-client, so names and labels live in one place.
 * Label values are route templates, node ids, index uids, statuses: never raw paths or keys.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly scrapeHooks: Array<() => Promise<void>> = [];

  private readonly httpDuration = new Histogram({
    name: 'miroir_http_request_duration_seconds',
    help: 'API request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  private readonly fanOut = new Histogram({
    name: 'miroir_fanout_nodes',
    help: 'Number of nodes one client request was sent to',
    labelNames: ['op'] as const,
    buckets: FANOUT_BUCKETS,
    registers: [this.registry],
  });

  private readonly degradedTotal = new Counter({
    name: 'miroir_degraded_responses_total',
    help: 'Successful responses carrying X-Miroir-Degraded or X-Miroir-Settings-Inconsistent, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  private readonly readsByGroup = new Counter({
    name: 'miroir_reads_routed_total',
    help: 'Reads by the replica group that served them and why it was chosen (session, tenant, shared)',
    labelNames: ['group', 'reason'],
    registers: [this.registry],
  });

  private readonly tenantReads = new Counter({
    name: 'miroir_tenant_reads_total',
    help: 'Reads per tenant (tenant affinity); tenants come from the tenants table or the explicit map',
    labelNames: ['tenant', 'group'],
    registers: [this.registry],
  });

  private readonly quorumFailures = new Counter({
    name: 'miroir_quorum_failures_total',
    help: 'Write batches answered 503 miroir_no_quorum, by index',
    labelNames: ['index'] as const,
    registers: [this.registry],
  });

  private readonly shardUnavailable = new Counter({
    name: 'miroir_shard_unavailable_total',
    help: 'Reads answered 503 miroir_shard_unavailable (policy error), by index',
    labelNames: ['index'] as const,
    registers: [this.registry],
  });

  private readonly authFailures = new Counter({
    name: 'miroir_auth_failures_total',
    help: 'Requests refused by authentication or authorization, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly keyDirectoryRefreshes = new Counter({
    name: 'miroir_api_key_refreshes_total',
    help: 'Reloads of the API key list from Postgres, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** Filled at scrape time by TaskRegistryGauge (a cached count from Postgres). */
  private readonly taskRegistry = new Gauge({
    name: 'miroir_task_registry_tasks',
    help: 'Miroir tasks in the Postgres registry, by status (refreshed at most every 15 s)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  // Registered now, set by the rebalance, CDC and canary work of later issues (docs/design.md#workflows, docs/design.md#task-and-outbox).
  private readonly rebalanceProgress = new Gauge({
    name: 'miroir_rebalance_progress_ratio',
    help: 'Fraction of shard migrations of the running rebalance that finished (0 when none runs)',
    registers: [this.registry],
  });

  private readonly rebalanceMigrations = new Gauge({
    name: 'miroir_rebalance_migrations',
    help: 'Shard migrations of the running rebalance, by state',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  private readonly migratedDocs = new Counter({
    name: 'miroir_migrated_documents_total',
    help: 'Documents copied by shard migrations, by index',
    labelNames: ['index'] as const,
    registers: [this.registry],
  });

  private readonly cdcLagEvents = new Gauge({
    name: 'miroir_cdc_lag_events',
    help: 'Outbox events not yet delivered, by sink',
    labelNames: ['sink'] as const,
    registers: [this.registry],
  });

  private readonly cdcLagSeconds = new Gauge({
    name: 'miroir_cdc_lag_seconds',
    help: 'Age of the oldest undelivered outbox event, by sink',
    labelNames: ['sink'] as const,
    registers: [this.registry],
  });

  private readonly canarySuccess = new Gauge({
    name: 'miroir_canary_success',
    help: 'Result of the last run of each canary (1 passed, 0 failed)',
    labelNames: ['canary'] as const,
    registers: [this.registry],
  });

  private readonly canaryLatency = new Gauge({
    name: 'miroir_canary_latency_seconds',
    help: 'Latency of the last run of each canary',
    labelNames: ['canary'] as const,
    registers: [this.registry],
  });

  constructor(
    private readonly health: HealthMonitor,
    private readonly topology: TopologyService,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'miroir_' });
    this.registerClusterGauges();
  }

  // ---- HTTP (recorded by the Fastify hook of http-metrics.ts) ---------------------------------

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  // ---- read and write paths -------------------------------------------------------------------

  /** One client request was sent to `nodes` nodes. */
  /** A read's group choice (docs/design.md#sessions-tenants-and-idempotency): per group, and per tenant when one was identified. */
  readRouted(choice: { group: number; reason: string; tenant?: string }): void {
    const group = String(choice.group);
    this.readsByGroup.inc({ group, reason: choice.reason });
    if (choice.tenant) this.tenantReads.inc({ tenant: choice.tenant, group });
  }

  observeFanOut(nodes: number, op: FanOutOp = 'search'): void {
    this.fanOut.observe({ op }, nodes);
  }

  // The three below are recorded by the HTTP hook (http-metrics.ts) from the headers and status
  // the client received; controllers do not call them, or answers would be counted twice.

  /** A successful answer carried X-Miroir-Degraded or X-Miroir-Settings-Inconsistent. */
  degraded(kind: DegradedKind): void {
    this.degradedTotal.inc({ kind });
  }

  /** A write answered 503 miroir_no_quorum. */
  quorumFailure(index: string): void {
    this.quorumFailures.inc({ index });
  }

  /** A read answered 503 miroir_shard_unavailable. */
  shardsUnavailable(index: string): void {
    this.shardUnavailable.inc({ index });
  }

  // ---- auth -----------------------------------------------------------------------------------

  authFailure(reason: AuthFailure): void {
    this.authFailures.inc({ reason });
  }

  keyRefresh(outcome: 'ok' | 'error'): void {
    this.keyDirectoryRefreshes.inc({ outcome });
  }

  // ---- tasks ----------------------------------------------------------------------------------

  /** Current registry size per status; statuses absent from `counts` are set to 0. */
  setTaskRegistrySize(counts: Partial<Record<string, number>>): void {
    for (const status of ['enqueued', 'processing', 'succeeded', 'failed', 'canceled']) {
      this.taskRegistry.set({ status }, counts[status] ?? 0);
    }
  }

  // ---- later issues: rebalance, CDC, canaries ---------------------------------------------------

  setRebalanceProgress(done: number, total: number, running: number): void {
    this.rebalanceProgress.set(total > 0 ? done / total : 0);
    this.rebalanceMigrations.set({ state: 'done' }, done);
    this.rebalanceMigrations.set({ state: 'running' }, running);
    this.rebalanceMigrations.set({ state: 'pending' }, Math.max(0, total - done - running));
  }

  addMigratedDocuments(index: string, count: number): void {
    this.migratedDocs.inc({ index }, count);
  }

  setCdcLag(sink: string, events: number, oldestAgeSeconds: number): void {
    this.cdcLagEvents.set({ sink }, events);
    this.cdcLagSeconds.set({ sink }, oldestAgeSeconds);
  }

  canaryResult(canary: string, passed: boolean, latencySeconds: number): void {
    this.canarySuccess.set({ canary }, passed ? 1 : 0);
    this.canaryLatency.set({ canary }, latencySeconds);
  }

  // ---- exposition -----------------------------------------------------------------------------

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Runs before every scrape (e.g. refreshing a cached count); bounded so a scrape never hangs. */
  beforeScrape(hook: () => Promise<void>): void {
    this.scrapeHooks.push(hook);
  }

  async render(): Promise<string> {
    if (this.scrapeHooks.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, SCRAPE_HOOK_BUDGET_MS)));
      await Promise.race([Promise.allSettled(this.scrapeHooks.map((h) => h())), deadline]);
      clearTimeout(timer);
    }
    return this.registry.metrics();
  }

  /**
   * Node health is read from the HealthMonitor at scrape time instead of being pushed on every
   * check: the values are always current, and a node removed from the topology disappears.
   */
  private registerClusterGauges(): void {
    const health = this.health;
    const topology = this.topology;
    const current = (): ReturnType<TopologyService['topology']> | undefined => {
      try {
        return topology.topology();
      } catch {
        return undefined; // not loaded yet (scraped during start-up)
      }
    };
    new Gauge({
      name: 'miroir_node_healthy',
      help: "1 when this API process considers the node healthy (its own checks), else 0",
      labelNames: ['node', 'group', 'state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const n of current()?.nodes ?? []) {
          if (n.state === 'removed') continue;
          this.set({ node: n.id, group: String(n.group), state: n.state }, health.isHealthy(n.id) ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: 'miroir_node_health_check_latency_seconds',
      help: 'Latency of the last successful health check of each node',
      labelNames: ['node'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [node, h] of Object.entries(health.snapshot())) {
          if (h.latencyMs !== undefined) this.set({ node }, h.latencyMs / 1000);
        }
      },
    });
    new Gauge({
      name: 'miroir_node_consecutive_failures',
      help: 'Consecutive failed health checks (or failed requests) of each node',
      labelNames: ['node'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [node, h] of Object.entries(health.snapshot())) this.set({ node }, h.failures);
      },
    });
    new Gauge({
      name: 'miroir_topology_version',
      help: 'Topology version this API process routes by',
      registers: [this.registry],
      collect() {
        const t = current();
        if (t) this.set(t.version);
      },
    });
  }
}
