// Fault injection (--sim-faults): added latency, error rate, refused connections, request counters;
// and the routes' absence without the flag.
import { apiError, startSim, type SimHandle } from './support/sim-node';
import type { Meilisearch as MeiliClient } from 'meilisearch';

type Http = {
  get<T>(o: { path: string }): Promise<T>;
  put<T>(o: { path: string; body: unknown }): Promise<T>;
};
const http = (c: MeiliClient): Http => (c as unknown as { httpRequest: Http }).httpRequest;

describe('with --sim-faults', () => {
  let sim: SimHandle;
  let client: MeiliClient;
  beforeAll(async () => {
    sim = await startSim({ faults: true });
    client = sim.client();
    await client.index('f').addDocuments([{ id: 1, t: 'hello' }]).waitTask();
  });
  afterAll(async () => {
    await http(client).put({ path: '_sim/faults', body: {} }).catch(() => undefined);
    await sim?.dispose();
  });

  it('adds latency', async () => {
    await http(client).put({ path: '_sim/faults', body: { latencyMs: 300 } });
    const t0 = Date.now();
    await client.index('f').search('hello');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    await http(client).put({ path: '_sim/faults', body: {} });
    const t1 = Date.now();
    await client.index('f').search('hello');
    expect(Date.now() - t1).toBeLessThan(200);
  });

  it('fails requests at the error rate', async () => {
    await http(client).put({ path: '_sim/faults', body: { errorRate: 1 } });
    expect(await apiError(client.index('f').search('hello'))).toMatchObject({ status: 500, code: 'internal' });
    await http(client).put({ path: '_sim/faults', body: { errorRate: 0 } });
    expect((await client.index('f').search('hello')).hits).toHaveLength(1);
  });

  it('refuses connections until cleared', async () => {
    expect(await http(client).put({ path: '_sim/faults', body: { refuseConnections: true } })).toMatchObject({ refuseConnections: true });
    const err = await client.health().then(
      () => null,
      (e: { name?: string }) => e,
    );
    expect(err?.name).toBe('MeilisearchRequestError');
    await http(client).put({ path: '_sim/faults', body: { refuseConnections: false } });
    expect(await client.health()).toEqual({ status: 'available' });
  });

  it('counts requests per route', async () => {
    const before = await http(client).get<{ routes: Record<string, number> }>({ path: '_sim/requests' });
    const key = 'POST /indexes/:indexUid/search';
    await client.index('f').search('x');
    await client.index('f').search('y');
    const after = await http(client).get<{ total: number; routes: Record<string, number> }>({ path: '_sim/requests' });
    expect((after.routes[key] ?? 0) - (before.routes[key] ?? 0)).toBe(2);
    expect(after.total).toBeGreaterThan(0);
  });
});

describe('without --sim-faults', () => {
  it('has no /_sim routes', async () => {
    const sim = await startSim({});
    try {
      const e = await http(sim.client()).get({ path: '_sim/faults' }).then(
        () => null,
        (err: { name?: string; response?: { status: number } }) => err,
      );
      expect(e?.response?.status).toBe(404);
    } finally {
      await sim.dispose();
    }
  });
});
