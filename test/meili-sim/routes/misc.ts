// /health, /version, /stats, /indexes/{uid}/stats.
import type { FastifyInstance } from 'fastify';
import { guard, getIndex, type Ctx } from '../http/request';
import type { IndexState } from '../model';
import { dirSize } from '../storage/size';

export const SIM_VERSION = { pkgVersion: '1.15.0', commitSha: 'meili-sim', commitDate: '2025-01-01T00:00:00Z' };

function indexStats(ctx: Ctx, idx: IndexState): Record<string, unknown> {
  const n = idx.docs.size;
  return {
    numberOfDocuments: n,
    rawDocumentDbSize: idx.docBytes,
    avgDocumentSize: n === 0 ? 0 : Math.round(idx.docBytes / n),
    isIndexing: ctx.store.isIndexing(idx.uid),
    numberOfEmbeddings: 0,
    numberOfEmbeddedDocuments: 0,
    fieldDistribution: Object.fromEntries([...idx.fieldCounts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

export function registerMiscRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/health', async () => ({ status: 'available' }));

  app.get('/version', async (req) => {
    guard(ctx, req, { action: 'version' });
    return SIM_VERSION;
  });

  app.get<{ Params: { indexUid: string } }>('/indexes/:indexUid/stats', async (req) => {
    guard(ctx, req, { action: 'stats.get', indexes: [req.params.indexUid] });
    return indexStats(ctx, getIndex(ctx, req.params.indexUid));
  });

  app.get('/stats', async (req) => {
    const principal = guard(ctx, req, { action: 'stats.get' });
    const indexes: Record<string, unknown> = {};
    const visible = [...ctx.store.indexes.values()].filter((i) => ctx.auth.canSeeIndex(principal, i.uid));
    visible.sort((a, b) => (a.uid < b.uid ? -1 : 1));
    for (const idx of visible) indexes[idx.uid] = indexStats(ctx, idx);
    const size = dirSize(ctx.store.dbPath);
    return { databaseSize: size, usedDatabaseSize: size, lastUpdate: ctx.store.lastUpdate, indexes };
  });
}
