import { startTestCluster } from '../support/cluster';

// A node down during a settings change (3 nodes, RF=2): the change cannot converge, its task fails
// with miroir_settings_not_converged and the index is frozen for writes; when the node is back the
// background drift check (docs/settings-and-indexes.md) gives every node the committed settings again — the ones the
// failed task left in force — and lifts the freeze, without anyone re-applying settings.
jest.setTimeout(600_000);

const UID = 'frozen';

describe('chaos: a node down during a settings change', () => {
  it('freezes writes while settings differ, then the drift check restores the committed settings and unfreezes', async () => {
    const cluster = await startTestCluster({ nodes: 3, replicationFactor: 2, shards: 8, env: { MIROIR_SETTINGS_DRIFT__INTERVAL_MS: '2000', MIROIR_HEALTH__INTERVAL_MS: '500' } });
    try {
      const client = cluster.client();
      const t = { timeout: 120_000 };
      await client.createIndex(UID, { primaryKey: 'id' }).waitTask(t);
      expect((await client.index(UID).updateSynonyms({ tv: ['television'] }).waitTask(t)).status).toBe('succeeded');
      const write = (id: number) =>
        cluster.request(`/indexes/${UID}/documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ id, title: 'tv' }]) });

      await cluster.nodes[2]!.kill9();
      const failed = await client.index(UID).updateSynonyms({ car: ['automobile'] }).waitTask({ timeout: 480_000 });
      expect(failed.status).toBe('failed');
      expect(failed.error?.code).toBe('miroir_settings_not_converged');
      const refused = await write(1);
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { code: string }).code).toBe('miroir_settings_frozen');
      process.stderr.write(`[chaos] settings node down: change failed after the node stayed down (${failed.duration}), writes frozen\n`);

      await cluster.nodes[2]!.restart();
      const deadline = Date.now() + 120_000;
      let status = 0;
      while (Date.now() < deadline && (status = (await write(2)).status) !== 202) await new Promise((r) => setTimeout(r, 500));
      expect(status).toBe(202);
      // The failed change is not in force anywhere: every node holds the committed synonyms.
      for (const i of [0, 1, 2]) expect(await cluster.nodeClient(i).index(UID).getSynonyms()).toEqual({ tv: ['television'] });
      expect(await client.index(UID).getSynonyms()).toEqual({ tv: ['television'] });
    } finally {
      await cluster.stop();
    }
  });
});
