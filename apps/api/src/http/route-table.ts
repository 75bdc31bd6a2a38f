import type { FastifyInstance } from 'fastify';
import Router from 'find-my-way';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * The paths the API serves, whatever the method: Meilisearch answers a path it does not know with
 * 404 and a path it knows but not for that method with 405, both with an empty body
 * (docs/api-compatibility.md, "Unsupported routes"). Fastify only says "no route for this method
 * and path", so the routes are recorded as they are registered into a second router of the same
 * library Fastify matches with (find-my-way), which can be asked about any method.
 *
 * One more rule: Meilisearch matches a fixed path before a parametric one whatever the method, so
 * `GET /indexes/x/documents/fetch` is 405 there (`fetch` is POST-only), not "document `fetch` not
 * found". Fastify would route it to `GET /indexes/:uid/documents/:id`; an onRequest hook answers
 * 405 first for every path that is some route's fixed last segment under a method it lacks.
 */
export class RouteTable {
  private readonly router = Router();
  /** `/indexes/:uid/documents/fetch` → methods, for routes whose last segment is fixed. */
  private readonly fixedTails = new Map<string, Set<string>>();
  private readonly fixedRouter = Router();

  /** Records every route registered on `fastify` from now on (call before the app is initialised). */
  static install(fastify: FastifyInstance): RouteTable {
    const table = new RouteTable();
    fastify.addHook('onRoute', (route) => {
      const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m): m is Method => (METHODS as readonly string[]).includes(m));
      for (const m of methods) table.router.on(m, route.url, () => undefined);
      const last = route.url.split('/').pop() ?? '';
      if (methods.length > 0 && last !== '' && !last.startsWith(':') && !last.includes('*')) {
        let known = table.fixedTails.get(route.url);
        if (!known) {
          known = new Set();
          table.fixedTails.set(route.url, known);
          table.fixedRouter.on('GET', route.url, () => undefined, { pattern: route.url });
        }
        for (const m of methods) known.add(m);
      }
    });
    fastify.addHook('onRequest', (request, reply, done) => {
      if (table.shadowedByFixedRoute(request.method, request.url)) {
        void reply.status(405).send();
        return;
      }
      done();
    });
    return table;
  }

  /** Is `url` (query string allowed) served for some method? */
  knowsPath(url: string): boolean {
    const path = pathOf(url);
    return METHODS.some((m) => this.router.find(m, path) !== null);
  }

  /** A fixed route's path asked with a method it does not take (a parametric route would catch it). */
  private shadowedByFixedRoute(method: string, url: string): boolean {
    if (this.fixedTails.size === 0) return false;
    const found = this.fixedRouter.find('GET', pathOf(url));
    if (!found) return false;
    const pattern = (found.store as { pattern?: string } | undefined)?.pattern;
    const methods = pattern === undefined ? undefined : this.fixedTails.get(pattern);
    return methods !== undefined && !methods.has(method) && (METHODS as readonly string[]).includes(method);
  }
}

function pathOf(url: string): string {
  return url.split('?', 1)[0]!;
}
