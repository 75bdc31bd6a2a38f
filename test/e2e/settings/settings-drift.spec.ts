import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import type { Meilisearch } from 'meilisearch';
import { scheduleIds } from '@miroir/temporal';
import { startTestCluster, type TestCluster } from '../../support/cluster';
import { waitFor } from '../../support/wait-for';

const TEMPORAL = process.env.MIROIR_TEST_TEMPORAL_ADDRESS ?? '127.0.0.1:7233';

// docs/settings-and-indexes.md: the background drift check. A node whose settings were changed behind Miroir's back is
// put back to the index's committed settings, and an index frozen for writes (a settings change
// that could not converge) is unfrozen once every node holds the committed settings again. The
// real freeze (a node down during a change) takes minutes and runs in `npm run test:chaos`
// (test/chaos/settings-node-down.spec.ts); here the frozen state is set in Postgres directly,
// with the check's Temporal Schedule paused until the refusal has been seen.
jest.setTimeout(180_000);

const UID = 'drift';

describe('settings drift check', () => {
  let cluster: TestCluster;
  let client: Meilisearch;

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 3, replicationFactor: 2, shards: 8, env: { MIROIR_SETTINGS_DRIFT__INTERVAL_MS: '1000' } });
    client = cluster.client();
    await client.createIndex(UID, { primaryKey: 'id' }).waitTask({ timeout: 60_000 });
    const set = await client.index(UID).updateSettings({ synonyms: { tv: ['television'] }, filterableAttributes: ['kind'] }).waitTask({ timeout: 60_000 });
    expect(set.status).toBe('succeeded');
  }, 180_000);

  afterAll(() => cluster?.stop());

  const nodeSynonyms = (i: number) => cluster.nodeClient(i).index(UID).getSynonyms();

  it('puts a node changed out of band back to the committed settings', async () => {
    // The check is paused while the change is made and seen, so the repair cannot come first (it
    // runs every second; a loaded machine can take longer than that to confirm the change).
    const temporal = new Client({ connection: await Connection.connect({ address: TEMPORAL }), namespace: cluster.namespace });
    const schedule = temporal.schedule.getHandle(scheduleIds.settingsDrift());
    try {
      await schedule.pause('test: observe the out-of-band change');
      await waitFor('a drift run started before the pause to end', async () => (await schedule.describe()).info.runningActions.length === 0);
      const changed = await cluster.nodeClient(1).index(UID).updateSynonyms({ car: ['automobile'] }).waitTask({ timeout: 60_000 });
      expect(changed.status).toBe('succeeded');
      expect(await nodeSynonyms(1)).toEqual({ car: ['automobile'] });
      await schedule.unpause('test: let the check repair');
      await waitFor('the drift check to repair node 1', async () => {
        const s = await nodeSynonyms(1);
        return JSON.stringify(s) === JSON.stringify({ tv: ['television'] }) ? s : undefined;
      });
      for (const i of [0, 1, 2]) expect(await cluster.nodeClient(i).index(UID).getSettings()).toEqual(await cluster.nodeClient(0).index(UID).getSettings());
      // Miroir's own settings view and a synonym search agree.
      expect(await client.index(UID).getSynonyms()).toEqual({ tv: ['television'] });
    } finally {
      await temporal.connection.close();
    }
  });

  it('unfreezes an index for writes once every node holds its committed settings', async () => {
    const temporal = new Client({ connection: await Connection.connect({ address: TEMPORAL }), namespace: cluster.namespace });
    const schedule = temporal.schedule.getHandle(scheduleIds.settingsDrift());
    const pg = new PgClient({ connectionString: cluster.databaseUrl });
    await pg.connect();
    const write = () =>
      cluster.request(`/indexes/${UID}/documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ id: 1, kind: 'a' }]) });
    try {
      // The check is paused while the index is frozen, so the refusal is observed for certain.
      await schedule.pause('test: observe the freeze');
      // A worker start updates existing schedules to the configuration but keeps an operator's pause.
      await cluster.restartWorker();
      const described = await schedule.describe();
      expect(described.state.paused).toBe(true);
      expect(described.state.note).toBe('test: observe the freeze');
      await pg.query(
        `INSERT INTO index_settings_state (index_uid, frozen_reason) VALUES ($1, 'settings differ on meili-2 after 5 repair round(s)')
         ON CONFLICT (index_uid) DO UPDATE SET frozen_reason = EXCLUDED.frozen_reason`,
        [UID],
      );
      await pg.query(`SELECT pg_notify('miroir_indexes', $1)`, [UID]);
      const refused = await waitFor('the API to refuse writes', async () => {
        const res = await write();
        return res.status === 503 ? ((await res.json()) as { code: string }) : undefined;
      });
      expect(refused.code).toBe('miroir_settings_frozen');

      await schedule.unpause('test: let the drift check run');
      await waitFor('writes to be accepted again', async () => ((await write()).status === 202 ? true : undefined));
      const { rows } = await pg.query(`SELECT frozen_reason FROM index_settings_state WHERE index_uid = $1`, [UID]);
      expect(rows[0].frozen_reason).toBeNull();
    } finally {
      await pg.end();
      await temporal.connection.close();
    }
  });
});
