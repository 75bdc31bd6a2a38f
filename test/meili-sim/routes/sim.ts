// Test-only routes, registered only with --sim-faults: fault injection (added latency, error
// rate, refused connections) and per-route request counters so tests can tell which node served
// a read. /_sim/* itself is never delayed, failed, refused or counted, so a test can always undo
// a fault it injected.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../error-catalog';
import { SimError } from '../errors';
import { isObject, jsonBody } from '../http/request';

export interface Faults {
  latencyMs: number;
  errorRate: number;
  refuseConnections: boolean;
  /**
   * Delay before each task is processed. Real Meilisearch batches tasks and commits each batch,
   * so a write is visible some milliseconds after its 202; the dev node otherwise indexes almost
   * at once, which hides read-after-write races.
   */
  indexingDelayMs: number;
}

const NO_FAULTS: Faults = { latencyMs: 0, errorRate: 0, refuseConnections: false, indexingDelayMs: 0 };

export class SimControls {
  faults: Faults = { ...NO_FAULTS };

  constructor(private readonly onChange: (faults: Faults) => void = () => undefined) {}

  setFaults(faults: Faults): void {
    this.faults = faults;
    this.onChange(faults);
  }
  total = 0;
  routes: Record<string, number> = {};
  paths: Record<string, number> = {};

  reset(): void {
    this.total = 0;
    this.routes = {};
    this.paths = {};
  }
}

const isSim = (url: string): boolean => url === '/_sim' || url.startsWith('/_sim/');

export function registerSimRoutes(app: FastifyInstance, sim: SimControls): void {
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0]!;
    if (isSim(path)) return;
    if (sim.faults.refuseConnections) {
      // Drop the connection without a response: the client sees a connection error.
      reply.hijack();
      req.raw.socket.destroy();
      return;
    }
    sim.total++;
    const route = `${req.method} ${req.routeOptions.url ?? '(unmatched)'}`;
    sim.routes[route] = (sim.routes[route] ?? 0) + 1;
    const p = `${req.method} ${path}`;
    sim.paths[p] = (sim.paths[p] ?? 0) + 1;
    if (sim.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, sim.faults.latencyMs));
    if (sim.faults.errorRate > 0 && Math.random() < sim.faults.errorRate) {
      throw errors.internal('Simulated fault injected by meili-sim (--sim-faults).');
    }
  });

  app.get('/_sim/faults', async () => sim.faults);
  app.put('/_sim/faults', async (req) => {
    const body = jsonBody(req);
    if (!isObject(body)) throw errors.invalidType('bad_request', '', 'an object', body);
    const next: Faults = { ...NO_FAULTS };
    for (const [k, v] of Object.entries(body)) {
      if (k === 'latencyMs' && typeof v === 'number' && v >= 0 && Number.isFinite(v)) next.latencyMs = v;
      else if (k === 'indexingDelayMs' && typeof v === 'number' && v >= 0 && Number.isFinite(v)) next.indexingDelayMs = v;
      else if (k === 'errorRate' && typeof v === 'number' && v >= 0 && v <= 1) next.errorRate = v;
      else if (k === 'refuseConnections' && typeof v === 'boolean') next.refuseConnections = v;
      else throw new SimError('bad_request', `Invalid fault \`${k}\`: expected latencyMs (ms >= 0), errorRate (0..1), refuseConnections (boolean) or indexingDelayMs (ms >= 0).`);
    }
    sim.setFaults(next);
    return sim.faults;
  });
  app.get('/_sim/requests', async () => ({ total: sim.total, routes: sim.routes, paths: sim.paths }));
  app.delete('/_sim/requests', async () => {
    sim.reset();
    return { total: 0, routes: {}, paths: {} };
  });
}
