// /indexes/{uid}/settings and every sub-route. Reads are synchronous; updates and resets are
// settingsUpdate tasks (which create the index if it does not exist, as Meilisearch does).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkIndexUid, getIndex, guard, jsonBody, type Ctx } from '../http/request';
import type { SettingsPatch } from '../model';
import { SETTING_ROUTES, settingsView, validateSetting, validateSettingsBody } from '../settings/settings';

type IndexParams = { Params: { indexUid: string } };

export function registerSettingsRoutes(app: FastifyInstance, ctx: Ctx): void {
  const enqueue = async (req: FastifyRequest<IndexParams>, reply: FastifyReply, patch: SettingsPatch) => {
    const uid = req.params.indexUid;
    const task = await ctx.store.enqueue(uid, 'settingsUpdate', { ...patch }, { kind: 'settings', patch });
    return reply.code(202).send(task);
  };
  const updateGuard = (req: FastifyRequest<IndexParams>): void => {
    guard(ctx, req, { action: 'settings.update', indexes: [req.params.indexUid] });
    checkIndexUid(req.params.indexUid);
  };

  app.get<IndexParams>('/indexes/:indexUid/settings', async (req) => {
    guard(ctx, req, { action: 'settings.get', indexes: [req.params.indexUid] });
    const idx = getIndex(ctx, req.params.indexUid);
    return settingsView(idx.settings, idx.extra);
  });

  app.patch<IndexParams>('/indexes/:indexUid/settings', async (req, reply) => {
    updateGuard(req);
    return enqueue(req, reply, validateSettingsBody(jsonBody(req)));
  });

  app.delete<IndexParams>('/indexes/:indexUid/settings', async (req, reply) => {
    updateGuard(req);
    const patch: SettingsPatch = {};
    for (const s of SETTING_ROUTES) patch[s.name] = null;
    return enqueue(req, reply, patch);
  });

  for (const { name, route, verb } of SETTING_ROUTES) {
    const path = `/indexes/:indexUid/settings/${route}`;
    app.get<IndexParams>(path, async (req, reply) => {
      guard(ctx, req, { action: 'settings.get', indexes: [req.params.indexUid] });
      const idx = getIndex(ctx, req.params.indexUid);
      // Serialize explicitly: Fastify would send a bare string (distinctAttribute) as text/plain.
      return reply.type('application/json').send(JSON.stringify(settingsView(idx.settings, idx.extra)[name]));
    });
    const update = async (req: FastifyRequest<IndexParams>, reply: FastifyReply) => {
      updateGuard(req);
      const value = jsonBody(req);
      // '#' = report errors at the root, as Meilisearch does for sub-route bodies.
      return enqueue(req, reply, { [name]: value === null ? null : validateSetting(name, value, '#') });
    };
    if (verb === 'PUT') app.put(path, update);
    else app.patch(path, update);
    app.delete<IndexParams>(path, async (req, reply) => {
      updateGuard(req);
      return enqueue(req, reply, { [name]: null });
    });
  }
}
