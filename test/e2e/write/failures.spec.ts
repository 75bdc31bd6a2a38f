// Acceptance 7 and 9 of issue 5: writes under a lost replica follow the configured write quorum,
// and bad input is refused with Meilisearch-shaped 4xx before any node is written.
import { startTestCluster, type TestCluster } from '../../support/cluster';
import { copiesById, nodeWriteState, shardOf, shardTable, status } from './node-state';

jest.setTimeout(240_000);

const docs = (n: number, from = 0): Array<{ id: number; title: string }> =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, title: `doc ${from + i}` }));

function post(cluster: TestCluster, path: string, body: string, contentType?: string, method = 'POST'): Promise<Response> {
  // fetch labels a string body text/plain: send bytes when the request must carry no content type.
  return cluster.request(path, { method, headers: contentType ? { 'content-type': contentType } : {}, body: contentType ? body : new TextEncoder().encode(body) });
}

describe('RF=2, write_quorum majority (2 of 2), body limit 2000 bytes', () => {
  let cluster: TestCluster;
  const uid = 'quorum';

  beforeAll(async () => {
    cluster = await startTestCluster({
      nodes: 3,
      replicationFactor: 2,
      env: { MIROIR_SERVER__MAX_BODY_BYTES: '2000', MIROIR_HEALTH__INTERVAL_MS: '500' },
    });
    const task = await cluster.client().index(uid).addDocuments(docs(10), { primaryKey: 'id' }).waitTask();
    expect(task.status).toBe('succeeded');
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  describe('bad input never reaches a node', () => {
    const cases: Array<[string, () => Promise<Response>, number, string]> = [
      ['malformed JSON', () => post(cluster, `/indexes/${uid}/documents`, '[{"id": 1,', 'application/json'), 400, 'malformed_payload'],
      ['an empty body', () => post(cluster, `/indexes/${uid}/documents`, '', 'application/json'), 400, 'missing_payload'],
      ['a wrong content type', () => post(cluster, `/indexes/${uid}/documents`, '[{"id": 1}]', 'text/plain'), 415, 'invalid_content_type'],
      ['no content type', () => post(cluster, `/indexes/${uid}/documents`, '[{"id": 1}]'), 415, 'missing_content_type'],
      ['a non-object document', () => post(cluster, `/indexes/${uid}/documents`, '[{"id": 1}, 2]', 'application/json'), 400, 'malformed_payload'],
      ['a document without the primary key', () => post(cluster, `/indexes/${uid}/documents`, '[{"id": 1}, {"title": "x"}]', 'application/json'), 400, 'miroir_primary_key_required'],
      ['an invalid document id', () => post(cluster, `/indexes/${uid}/documents`, '[{"id": "a b"}]', 'application/json'), 400, 'invalid_document_id'],
      ['a reserved field', () => post(cluster, `/indexes/${uid}/documents`, '[{"id": 1, "_miroir_x": 1}]', 'application/json'), 400, 'miroir_reserved_field'],
      ['a nested reserved field', () => post(cluster, `/indexes/${uid}/documents`, '[{"id": 1, "a": {"b": [{"_miroir_shard": 3}]}}]', 'application/json', 'PUT'), 400, 'miroir_reserved_field'],
      ['another primary key', () => post(cluster, `/indexes/${uid}/documents?primaryKey=title`, '[{"id": 1, "title": "t"}]', 'application/json'), 400, 'index_primary_key_already_exists'],
      ['a body over the limit', () => post(cluster, `/indexes/${uid}/documents`, JSON.stringify(docs(200)), 'application/json'), 413, 'payload_too_large'],
      ['a delete on an unknown index', () => cluster.request('/indexes/nowhere/documents/1', { method: 'DELETE' }), 404, 'index_not_found'],
      ['a delete-batch on an unknown index', () => post(cluster, '/indexes/nowhere/documents/delete-batch', '[1]', 'application/json'), 404, 'index_not_found'],
      ['a delete-batch that is not an array', () => post(cluster, `/indexes/${uid}/documents/delete-batch`, '{"id": 1}', 'application/json'), 400, 'bad_request'],
      ['an invalid delete filter', () => post(cluster, `/indexes/${uid}/documents/delete`, '{"filter": "title = "}', 'application/json'), 400, 'invalid_document_filter'],
      ['a delete without filter', () => post(cluster, `/indexes/${uid}/documents/delete`, '{}', 'application/json'), 400, 'missing_document_filter'],
      ['an unknown query parameter', () => post(cluster, `/indexes/${uid}/documents?colour=red`, '[{"id": 1}]', 'application/json'), 400, 'bad_request'],
    ];

    it.each(cases)('%s gets a Meilisearch-shaped 4xx and no node is written', async (_name, send, code, errorCode) => {
      const before = await nodeWriteState(cluster, uid);
      const { status: got, body } = await status(await send());
      expect(got).toBe(code);
      expect(body).toEqual({ message: expect.any(String), code: errorCode, type: expect.any(String), link: `https://docs.meilisearch.com/errors#${errorCode}` });
      expect(await nodeWriteState(cluster, uid)).toEqual(before);
    });

    it('an unknown index with a bad batch is not created', async () => {
      const res = await post(cluster, '/indexes/never/documents', '[{"id": 1, "_miroir_shard": 1}]', 'application/json');
      expect(res.status).toBe(400);
      await expect(cluster.client().index('never').getRawInfo()).rejects.toMatchObject({ cause: { code: 'index_not_found' } });
      for (let i = 0; i < cluster.nodes.length; i++) {
        await expect(cluster.nodeClient(i).index('never').getRawInfo()).rejects.toMatchObject({ cause: { code: 'index_not_found' } });
      }
    });
  });

  it('answers 503 miroir_no_quorum when a shard lost a replica, and a retry after recovery converges', async () => {
    const victim = 0;
    const batch = docs(20, 100);
    const table = shardTable(cluster, 2, 1);
    const victimShards = [...new Set(batch.map((d) => shardOf(d.id)))].filter((s) => table.owners(0, s).includes(cluster.nodes[victim]!.id));
    expect(victimShards.length).toBeGreaterThan(0);

    await cluster.nodes[victim]!.kill9();
    const res = await post(cluster, `/indexes/${uid}/documents`, JSON.stringify(batch), 'application/json');
    const { status: got, body } = await status(res);
    expect(got).toBe(503);
    expect(body).toMatchObject({ code: 'miroir_no_quorum', type: 'system' });
    expect(String(body.message)).toMatch(/retrying the same request is safe/);
    expect(res.headers.get('x-miroir-degraded')).toBe(`groups=0;shards=${victimShards.sort((a, b) => a - b).join(',')}`);

    await cluster.nodes[victim]!.restart();
    // The client's retry: the same documents again (idempotent per primary key), until the
    // cluster has noticed the node is back.
    const deadline = Date.now() + 30_000;
    let retry: Response;
    for (;;) {
      retry = await post(cluster, `/indexes/${uid}/documents`, JSON.stringify(batch), 'application/json');
      if (retry.status !== 503 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(retry.status).toBe(202);
    const { taskUid } = (await retry.json()) as { taskUid: number };
    expect((await cluster.client().tasks.waitForTask(taskUid, { timeout: 30_000 })).status).toBe('succeeded');
    const { copies } = await copiesById(cluster, uid);
    for (const d of batch) expect(copies.get(String(d.id))).toBe(2);
    expect(copies.size).toBe(30);
  });
});

describe('RF=2, write_quorum one', () => {
  let cluster: TestCluster;
  const uid = 'degraded';

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 3, replicationFactor: 2, writeQuorum: 'one' });
    await cluster.client().index(uid).addDocuments(docs(5), { primaryKey: 'id' }).waitTask();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('writes succeed with X-Miroir-Degraded naming the group and the shards that lost a replica', async () => {
    const victim = 1;
    await cluster.nodes[victim]!.kill9();
    const batch = docs(30, 1000);
    const table = shardTable(cluster, 2, 1);
    const expected = [...new Set(batch.map((d) => shardOf(d.id)))]
      .filter((s) => table.owners(0, s).includes(cluster.nodes[victim]!.id))
      .sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThan(0);

    const res = await post(cluster, `/indexes/${uid}/documents`, JSON.stringify(batch), 'application/json');
    expect(res.status).toBe(202);
    expect(res.headers.get('x-miroir-degraded')).toBe(`groups=0;shards=${expected.join(',')}`);
    const { taskUid } = (await res.json()) as { taskUid: number };
    expect((await cluster.client().tasks.waitForTask(taskUid, { timeout: 30_000 })).status).toBe('succeeded');

    // Every document reached its surviving owner.
    const { copies } = await copiesById(cluster, uid, { skipNodes: [victim] });
    for (const d of batch) expect(copies.get(String(d.id))).toBeGreaterThanOrEqual(1);
    await cluster.nodes[victim]!.restart();
  });
});
