// Acceptance 5 of issue 5: settings set through the official SDK are broadcast to every node by
// the settingsBroadcast workflow, identical everywhere (apart from the hidden _miroir_shard), and
// visible in Temporal with their search attributes.
import { Client, Connection } from '@temporalio/client';
import { MeilisearchApiError, type Meilisearch } from 'meilisearch';
import { MiroirIndex, MiroirOperation, MiroirRequestedBy } from '@miroir/temporal';
import { startTestCluster, type TestCluster } from '../../support/cluster';

const TEMPORAL = process.env.MIROIR_TEST_TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
// Workflow ids are per Temporal namespace, which every test cluster of the run shares: a unique
// index uid keeps this suite's settings:{uid} workflow its own.
const UID = `movies_${Date.now().toString(36)}`;

describe('settings through Miroir (3 nodes, RF=2)', () => {
  let cluster: TestCluster;
  let client: Meilisearch;
  let temporal: Client;

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 3, replicationFactor: 2, shards: 8 });
    client = cluster.client();
    temporal = new Client({ connection: await Connection.connect({ address: TEMPORAL }), namespace: cluster.namespace });
    await client.createIndex(UID, { primaryKey: 'id' }).waitTask({ timeout: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await temporal?.connection.close();
    await cluster?.stop();
  });

  it('broadcasts synonyms and filterable attributes to every node, and a synonym search works', async () => {
    const task = await client
      .index(UID)
      .updateSettings({ synonyms: { film: ['movie'], movie: ['film'] }, filterableAttributes: ['genre'] })
      .waitTask({ timeout: 60_000 });
    expect(task.status).toBe('succeeded');
    expect(task.type).toBe('settingsUpdate');

    const perNode = await Promise.all(cluster.nodes.map((_, i) => cluster.nodeClient(i).index(UID).getSettings()));
    for (const s of perNode) {
      expect(s.synonyms).toEqual({ film: ['movie'], movie: ['film'] });
      expect(s.filterableAttributes).toEqual(expect.arrayContaining(['genre', '_miroir_shard']));
      expect(s).toEqual(perNode[0]);
    }

    const seen = await client.index(UID).getSettings();
    expect(seen.synonyms).toEqual({ film: ['movie'], movie: ['film'] });
    expect(seen.filterableAttributes).toEqual(['genre']);
    expect(JSON.stringify(seen)).not.toContain('_miroir_');
    expect(await client.index(UID).getFilterableAttributes()).toEqual(['genre']);

    await client
      .index(UID)
      .addDocuments([
        { id: 1, title: 'A great movie about whales', genre: 'drama' },
        { id: 2, title: 'Cooking pasta at home', genre: 'docu' },
      ])
      .waitTask({ timeout: 60_000 });
    const res = await client.index(UID).search('film');
    expect(res.hits.map((h) => h.id)).toEqual([1]);
    const filtered = await client.index(UID).search('', { filter: 'genre = docu' });
    expect(filtered.hits.map((h) => h.id)).toEqual([2]);
  });

  it('hides _miroir_shard even after a reset, and keeps it on the nodes', async () => {
    await client.index(UID).resetFilterableAttributes().waitTask({ timeout: 60_000 });
    expect(await client.index(UID).getFilterableAttributes()).toEqual([]);
    for (let i = 0; i < cluster.nodes.length; i++) {
      expect(await cluster.nodeClient(i).index(UID).getFilterableAttributes()).toEqual(['_miroir_shard']);
    }
  });

  it('carries X-Miroir-Settings-Version after a committed change and honours the minimum version', async () => {
    const before = await cluster.request(`/indexes/${UID}/settings`);
    const version = Number(before.headers.get('x-miroir-settings-version'));
    expect(version).toBeGreaterThanOrEqual(2);
    const enqueued = await client.index(UID).updateStopWords(['the']);
    const during = await cluster.request(`/indexes/${UID}/settings/stop-words`);
    expect(during.headers.get('x-miroir-settings-inconsistent')).toBe('true');
    await client.tasks.waitForTask(enqueued.taskUid, { timeout: 60_000 });
    let after = 0;
    for (let i = 0; i < 50 && after <= version; i++) {
      after = Number((await cluster.request(`/indexes/${UID}/settings`)).headers.get('x-miroir-settings-version'));
      if (after <= version) await new Promise((r) => setTimeout(r, 100));
    }
    expect(after).toBe(version + 1);
    const ok = await cluster.request(`/indexes/${UID}/settings`, { headers: { 'X-Miroir-Min-Settings-Version': String(after) } });
    expect(ok.status).toBe(200);
    const stale = await cluster.request(`/indexes/${UID}/settings`, { headers: { 'X-Miroir-Min-Settings-Version': String(after + 5) } });
    expect(stale.status).toBe(503);
    expect(((await stale.json()) as { code: string }).code).toBe('miroir_settings_version_stale');
  });

  it('queues concurrent changes and applies them in order', async () => {
    const index = client.index(UID);
    // The second is accepted while the first is still in flight (its workflow is running).
    const t1 = await index.updateSortableAttributes(['year']);
    const t2 = await index.updateSortableAttributes(['year', 'rating']);
    const [a, b] = await Promise.all([client.tasks.waitForTask(t1.taskUid, { timeout: 60_000 }), client.tasks.waitForTask(t2.taskUid, { timeout: 60_000 })]);
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
    expect(await index.getSortableAttributes()).toEqual(['rating', 'year']);
  });

  it('validates bodies synchronously with Meilisearch codes', async () => {
    const bad = await cluster.request(`/indexes/${UID}/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filterableAttributes: 'genre' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('invalid_settings_filterable_attributes');
    const unknown = await cluster.request(`/indexes/${UID}/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nope: 1 }),
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { code: string }).code).toBe('bad_request');
    await expect(client.index('nope-index').getSettings()).rejects.toMatchObject({ cause: { code: 'index_not_found' } });
    await expect(client.index(UID).updateRankingRules(['bogus']).waitTask()).rejects.toBeInstanceOf(MeilisearchApiError);
  });

  it('is visible in Temporal with its search attributes', async () => {
    const found: Array<{ workflowId: string; attrs: Record<string, unknown> }> = [];
    // The visibility store is eventually consistent: retry briefly.
    for (let i = 0; i < 30 && found.length === 0; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 500));
      for await (const wf of temporal.workflow.list({ query: `MiroirIndex = '${UID}' AND MiroirOperation = 'settingsUpdate' AND TaskQueue = '${cluster.taskQueue}'` })) {
        const a = wf.typedSearchAttributes;
        found.push({ workflowId: wf.workflowId, attrs: { MiroirIndex: a.get(MiroirIndex), MiroirOperation: a.get(MiroirOperation), MiroirRequestedBy: a.get(MiroirRequestedBy) } });
      }
    }
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.workflowId).toBe(`settings:${UID}`);
    expect(found[0]!.attrs).toMatchObject({ MiroirIndex: UID, MiroirOperation: 'settingsUpdate' });
    expect(typeof found[0]!.attrs['MiroirRequestedBy']).toBe('string');
  });
});
