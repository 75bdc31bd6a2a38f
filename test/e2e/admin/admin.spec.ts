import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, repoRoot } from '@miroir/embedded';
import { startTestCluster, type TestCluster } from '../../support/cluster';
import { waitFor } from '../../support/wait-for';

// The admin API (docs/design.md#admin-api), readiness and metrics (docs/observability.md), and miroir-ctl over them, against a
// 2-node RF=1 cluster: losing one node leaves shards without any replica, which readiness,
// /_miroir/shards and `miroir-ctl status` must all report.
jest.setTimeout(180_000);

const run = promisify(execFile);
const ctlPath = join(repoRoot(), 'dist/apps/ctl/src/main.js');

interface CtlResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('admin API, metrics and miroir-ctl', () => {
  let cluster: TestCluster;
  let metricsPort: number;
  let admin: Record<string, string>;

  async function ctl(args: string[], env: Record<string, string> = {}): Promise<CtlResult> {
    try {
      const { stdout, stderr } = await run(process.execPath, [ctlPath, ...args], { env: { PATH: process.env.PATH, ...env }, timeout: 30_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  const adminGet = (path: string): Promise<Response> => fetch(`${cluster.url}${path}`, { headers: admin });

  /** The value of one sample line of a Prometheus text exposition, 0 when absent. */
  function sample(text: string, name: string, labels: Record<string, string>): number {
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}{`)) continue;
      const want = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
      if (want) return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return 0;
  }

  beforeAll(async () => {
    metricsPort = await freePort();
    cluster = await startTestCluster({
      nodes: 2,
      replicationFactor: 1,
      shards: 8,
      env: {
        MIROIR_SERVER__METRICS_PORT: String(metricsPort),
        MIROIR_HEALTH__INTERVAL_MS: '250',
        MIROIR_HEALTH__UNHEALTHY_THRESHOLD: '2',
        MIROIR_HEALTH__RECOVERY_THRESHOLD: '1',
      },
    });
    admin = { 'x-admin-key': cluster.adminKey };
    await cluster.client().createIndex('movies', { primaryKey: 'id' });
    // The index exists once its creation workflow committed it to the registry.
    await waitFor('the movies index', async () => ((await cluster.request('/indexes/movies')).status === 200 ? true : undefined), 60_000);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('GET /_miroir/topology: version, RF, groups and every node with its state and this pod’s health view', async () => {
    const res = await fetch(`${cluster.url}/_miroir/topology`, { headers: { ...admin, 'x-request-id': 'req-topology-1' } });
    expect(res.status).toBe(200);
    // The request id is echoed (and logged as reqId); one is generated when the client sends none.
    expect(res.headers.get('x-request-id')).toBe('req-topology-1');
    expect((await adminGet('/_miroir/shards')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await res.json()) as { version: number; replicationFactor: number; replicaGroups: number; nodes: Array<Record<string, unknown>> };
    expect(body).toMatchObject({ version: expect.any(Number), replicationFactor: 1, replicaGroups: 1 });
    expect(body.nodes.map((n) => n.id)).toEqual(['meili-0', 'meili-1']);
    for (const n of body.nodes) {
      expect(n).toMatchObject({ group: 0, state: 'active', healthy: true, lastError: null });
      expect(typeof n.latencyMs).toBe('number');
    }
  });

  it('GET /_miroir/shards: owners per shard and group; ?index= filters, an unknown index is index_not_found', async () => {
    const res = await adminGet('/_miroir/shards?index=movies');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { indexes: Array<{ uid: string; shards: number; unavailableShards: number[]; table: Array<{ shard: number; available: boolean; groups: Array<{ group: number; owners: Array<{ node: string; healthy: boolean }> }> }> }> };
    expect(body.indexes).toHaveLength(1);
    const movies = body.indexes[0]!;
    expect(movies).toMatchObject({ uid: 'movies', shards: 8, unavailableShards: [] });
    expect(movies.table.map((r) => r.shard)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const row of movies.table) {
      expect(row.available).toBe(true);
      expect(row.groups).toHaveLength(1);
      expect(row.groups[0]!.owners).toHaveLength(1);
    }
    const unknown = await adminGet('/_miroir/shards?index=nope');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('index_not_found');
  });

  it('serves the same miroir_ metrics on /_miroir/metrics and on the metrics port, and they move after requests', async () => {
    const scrape = async (): Promise<string> => {
      const res = await adminGet('/_miroir/metrics');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      return res.text();
    };
    const route = { method: 'POST', route: '/indexes/:uid/search', status: '200' };
    const before = sample(await scrape(), 'miroir_http_request_duration_seconds_count', route);
    for (let i = 0; i < 3; i++) await cluster.client().index('movies').search('carol');
    const refused = await fetch(`${cluster.url}/indexes/movies/search`, { method: 'POST' });
    expect(refused.status).toBe(401);

    const text = await scrape();
    expect(sample(text, 'miroir_http_request_duration_seconds_count', route)).toBe(before + 3);
    expect(sample(text, 'miroir_http_request_duration_seconds_count', { ...route, status: '401' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'miroir_auth_failures_total', { reason: 'missing_header' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'miroir_node_healthy', { node: 'meili-0' })).toBe(1);
    // The creation of `movies` is a Miroir task in the registry.
    const tasks = ['enqueued', 'processing', 'succeeded', 'failed'].reduce((n, status) => n + sample(text, 'miroir_task_registry_tasks', { status }), 0);
    expect(tasks).toBeGreaterThanOrEqual(1);
    // Raw paths never become labels.
    expect(text).not.toContain('route="/indexes/movies');
    for (const name of ['miroir_fanout_nodes', 'miroir_degraded_responses_total', 'miroir_quorum_failures_total', 'miroir_task_registry_tasks', 'miroir_rebalance_progress_ratio', 'miroir_migrated_documents_total', 'miroir_cdc_lag_events', 'miroir_canary_success', 'miroir_process_cpu_seconds_total']) {
      expect(text).toContain(`# TYPE ${name} `);
    }

    const port = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(port.status).toBe(200);
    const portText = await port.text();
    expect(sample(portText, 'miroir_http_request_duration_seconds_count', route)).toBe(before + 3);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/other`)).status).toBe(404);
    for (const secret of [cluster.masterKey, cluster.adminKey, cluster.nodeMasterKey]) expect(text).not.toContain(secret);
  });

  it('miroir-ctl: status, nodes list and shards as tables and JSON; errors exit 1, usage errors exit 2', async () => {
    const base = ['--url', cluster.url];
    const status = await ctl([...base, 'status'], { MIROIR_ADMIN_KEY: cluster.adminKey });
    expect(status).toMatchObject({ code: 0, stderr: '' });
    expect(status.stdout).toMatch(/ready\s+yes/);
    expect(status.stdout).toMatch(/indexes\s+1/);
    expect(status.stdout).toMatch(/meili-0\s+0\s+active\s+yes/);

    const nodes = await ctl([...base, '--admin-key', cluster.adminKey, '--json', 'nodes', 'list']);
    expect(nodes.code).toBe(0);
    expect((JSON.parse(nodes.stdout) as Array<{ id: string; healthy: boolean }>).map((n) => [n.id, n.healthy])).toEqual([
      ['meili-0', true],
      ['meili-1', true],
    ]);

    const shards = await ctl([...base, '--admin-key', cluster.adminKey, 'shards', '--index', 'movies']);
    expect(shards.code).toBe(0);
    expect(shards.stdout).toContain('index movies: 8 shards, primary key id, all shards available');
    expect(shards.stdout.split('\n').filter((l) => /^\d+\s+meili-\d/.test(l))).toHaveLength(8);

    const denied = await ctl([...base, '--admin-key', 'wrong', 'status']);
    expect(denied.code).toBe(1);
    expect(denied.stderr.trim().split('\n')).toHaveLength(1);
    expect(denied.stderr).toContain('miroir_invalid_auth');
    expect(denied.stderr).not.toContain('wrong');

    const unknownIndex = await ctl([...base, '--admin-key', cluster.adminKey, 'shards', '--index', 'nope']);
    expect(unknownIndex.code).toBe(1);
    expect(unknownIndex.stderr).toContain('index_not_found');

    const unreachable = await ctl(['--url', 'http://127.0.0.1:1', 'status']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^miroir-ctl: cannot reach Miroir/);

    expect((await ctl([...base, 'no-such-command'])).code).toBe(2);
    expect((await ctl([...base, 'shards', '--bogus'])).code).toBe(2);
  });

  it('GET /_miroir/ready is public, and answers 503 once a shard has no healthy replica, 200 again after recovery', async () => {
    const ready = await fetch(`${cluster.url}/_miroir/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', details: { postgres: { status: 'up' }, temporal: { status: 'up' }, shards: { status: 'up', indexes: 1 } } });

    await cluster.nodes[1]!.kill9();
    const down = await waitFor('readiness to fail', async () => {
      const res = await fetch(`${cluster.url}/_miroir/ready`);
      return res.status === 503 ? ((await res.json()) as Record<string, unknown>) : undefined;
    });
    expect(down).toMatchObject({ status: 'error', error: { shards: { status: 'down', indexesWithUnavailableShards: 1 } } });

    const shards = (await (await adminGet('/_miroir/shards')).json()) as { indexes: Array<{ unavailableShards: number[] }> };
    expect(shards.indexes[0]!.unavailableShards.length).toBeGreaterThan(0);
    const topology = (await (await adminGet('/_miroir/topology')).json()) as { nodes: Array<{ id: string; healthy: boolean; lastError: string | null }> };
    expect(topology.nodes.find((n) => n.id === 'meili-1')).toMatchObject({ healthy: false, lastError: expect.any(String) });

    // What clients saw while shards were missing shows in the metrics.
    const search = await cluster.request('/indexes/movies/search', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"q":""}' });
    expect(search.status).toBe(200);
    expect(search.headers.get('x-miroir-degraded')).toMatch(/^shards=/);
    const write = await cluster.request('/indexes/movies/documents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ id: i + 1, title: `film ${i + 1}` }))),
    });
    expect(write.status).toBe(503);
    expect(((await write.json()) as { code: string }).code).toBe('miroir_no_quorum');
    const metrics = await (await adminGet('/_miroir/metrics')).text();
    expect(sample(metrics, 'miroir_degraded_responses_total', { kind: 'read_partial' })).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'miroir_quorum_failures_total', { index: 'movies' })).toBe(1);
    expect(sample(metrics, 'miroir_node_healthy', { node: 'meili-1' })).toBe(0);

    const status = await ctl(['--url', cluster.url, '--admin-key', cluster.adminKey, 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/ready\s+no \(shards\)/);
    expect(status.stdout).toContain('see `miroir-ctl shards`');

    await cluster.nodes[1]!.restart();
    await waitFor('readiness to recover', async () => ((await fetch(`${cluster.url}/_miroir/ready`)).status === 200 ? true : undefined));
  });
});
