// `_miroir_shard = N` on document listing (GET) and fetch (POST): exactly the documents with that
// value, paginated by offset/limit in one stable order — what Miroir's rebalancer relies on.
import { startSim, type SimHandle } from './support/sim-node';
import type { Meilisearch as MeiliClient } from 'meilisearch';

let sim: SimHandle;
let client: MeiliClient;
const SHARDS = 8;
const docs = Array.from({ length: 500 }, (_, i) => ({ id: `doc-${i}`, title: `Document ${i}`, _miroir_shard: (i * 7919) % SHARDS }));

beforeAll(async () => {
  sim = await startSim({ masterKey: 'shard-filter-master-key-012345' });
  client = sim.client();
  await client.index('sharded').updateFilterableAttributes(['_miroir_shard']).waitTask();
  // In several batches, with updates and deletions in between, so internal order is not trivial.
  for (let i = 0; i < docs.length; i += 100) await client.index('sharded').addDocuments(docs.slice(i, i + 100)).waitTask();
  await client.index('sharded').updateDocuments([{ id: 'doc-3', title: 'updated' }]).waitTask();
  await client.index('sharded').deleteDocuments(['doc-11', 'doc-19']).waitTask();
});
afterAll(async () => {
  await sim?.dispose();
});

type Page = { results: Array<Record<string, unknown>>; offset: number; limit: number; total: number };

/** GET …/documents?filter= through the official client's own HTTP layer (getDocuments uses POST /fetch for filters). */
async function listGet(params: Record<string, string | number>): Promise<Page> {
  const http = (client as unknown as { httpRequest: { get(o: { path: string; params: Record<string, unknown> }): Promise<Page> } }).httpRequest;
  return http.get({ path: 'indexes/sharded/documents', params });
}

async function allPages(fetchPage: (offset: number, limit: number) => Promise<Page>, limit: number): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = [];
  let total = -1;
  for (let offset = 0; ; offset += limit) {
    const page = await fetchPage(offset, limit);
    expect(page.offset).toBe(offset);
    expect(page.limit).toBe(limit);
    if (total >= 0) expect(page.total).toBe(total);
    total = page.total;
    ids.push(...page.results.map((d) => String(d.id)));
    if (page.results.length < limit) break;
  }
  return { ids, total };
}

it.each([0, 3, 7])('filter _miroir_shard = %i returns exactly that shard, paginated stably', async (shard) => {
  const expected = docs
    .filter((d) => d._miroir_shard === shard && d.id !== 'doc-11' && d.id !== 'doc-19')
    .map((d) => d.id)
    .sort();
  const viaFetch = await allPages(
    (offset, limit) => client.index('sharded').getDocuments({ filter: `_miroir_shard = ${shard}`, offset, limit }) as Promise<Page>,
    7,
  );
  const viaGet = await allPages((offset, limit) => listGet({ filter: `_miroir_shard = ${shard}`, offset, limit }), 7);
  expect(new Set(viaFetch.ids).size).toBe(viaFetch.ids.length);
  expect([...viaFetch.ids].sort()).toEqual(expected);
  expect(viaFetch.total).toBe(expected.length);
  // Both routes page over the same stable order, and re-reading gives the same order again.
  expect(viaGet.ids).toEqual(viaFetch.ids);
  const again = await allPages((offset, limit) => listGet({ filter: `_miroir_shard = ${shard}`, offset, limit }), 13);
  expect(again.ids).toEqual(viaFetch.ids);
});

it('returns the shard field values only from that shard', async () => {
  const page = await client.index('sharded').getDocuments({ filter: ['_miroir_shard = 3'], limit: 1000, fields: ['_miroir_shard'] });
  expect(page.results.every((d) => d._miroir_shard === 3)).toBe(true);
});
