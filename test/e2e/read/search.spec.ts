import type { Meilisearch } from 'meilisearch';
import type { DevNode } from '@miroir/embedded/dev-node';
import { apiError } from '../../support/api-error';
import { startTestCluster, type TestCluster } from '../../support/cluster';
import { productDocs, seedIndex, startBaseline, tokenDocs, tokenOf, type ClusterShape, type Doc } from './seed';

// docs/design.md#read-path as an SDK user sees it, on the two acceptance shapes of issue 5: scatter-gather search
// (unique keywords, facets and sort equal to one node holding everything, paging in both modes),
// multi-search, documents, stats and explain; and no `_miroir_*` field in any answer.
jest.setTimeout(300_000);

const TOKENS = 200;
const PRODUCTS = 100;

const shapes: Array<[string, { nodes: number } & ClusterShape]> = [
  ['3 nodes, RG=1, RF=2', { nodes: 3, groups: 1, replicationFactor: 2, shards: 64 }],
  ['4 nodes, RG=2, RF=1', { nodes: 4, groups: 2, replicationFactor: 1, shards: 64 }],
];

const ids = (hits: readonly object[]): unknown[] => hits.map((h) => (h as Doc)['id']);

function expectNoReserved(value: unknown): void {
  expect(JSON.stringify(value)).not.toContain('_miroir_');
}

let baseline: { node: DevNode; client: Meilisearch };
const tokens = tokenDocs(TOKENS);
const products = productDocs(PRODUCTS);
const productSpec = { uid: 'products', primaryKey: 'id', docs: products, filterable: ['id', 'color', 'price', 'stock'], sortable: ['price', 'stock'] };
const tokenSpec = { uid: 'tokens', primaryKey: 'id', docs: tokens };

beforeAll(async () => {
  baseline = await startBaseline([productSpec, tokenSpec]);
});

afterAll(async () => {
  await baseline?.node.stop();
});

describe.each(shapes)('read path on %s', (_name, shape) => {
  let cluster: TestCluster;
  let client: Meilisearch;

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: shape.nodes, groups: shape.groups, replicationFactor: shape.replicationFactor, shards: shape.shards });
    await seedIndex(cluster, shape, productSpec);
    await seedIndex(cluster, shape, tokenSpec);
    client = cluster.client();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('a keyword unique to one document finds exactly that document, for every document', async () => {
    const index = client.index('tokens');
    for (let start = 0; start < TOKENS; start += 20) {
      const batch = Array.from({ length: Math.min(20, TOKENS - start) }, (_, k) => start + k);
      const answers = await Promise.all(batch.map((i) => index.search(tokenOf(i))));
      answers.forEach((res, k) => {
        expect(ids(res.hits)).toEqual([`t-${batch[k]}`]);
        expect(res.estimatedTotalHits).toBe(1);
      });
    }
  });

  test('facets sum to the corpus and equal one node holding everything; sort gives the same order', async () => {
    const params = { facets: ['color', 'price', 'stock'], limit: 0 };
    const [mine, theirs] = await Promise.all([client.index('products').search('', params), baseline.client.index('products').search('', params)]);
    const colors = mine.facetDistribution!['color']!;
    expect(Object.values(colors).reduce((a, b) => a + b, 0)).toBe(PRODUCTS);
    expect(mine.facetDistribution).toEqual(theirs.facetDistribution);
    expect(mine.facetStats).toEqual(theirs.facetStats);
    expect(mine.estimatedTotalHits).toBe(PRODUCTS);

    for (const sort of [['price:asc'], ['price:desc'], ['stock:desc', 'price:asc']]) {
      for (const q of ['', 'widget']) {
        const a = await client.index('products').search(q, { sort, limit: PRODUCTS });
        const b = await baseline.client.index('products').search(q, { sort, limit: PRODUCTS });
        expect(ids(a.hits)).toEqual(ids(b.hits));
      }
    }
    const filtered = await client.index('products').search('', { filter: 'color = red AND price > 30', facets: ['color'], sort: ['price:asc'] });
    const reference = await baseline.client.index('products').search('', { filter: 'color = red AND price > 30', facets: ['color'], sort: ['price:asc'] });
    expect(ids(filtered.hits)).toEqual(ids(reference.hits));
    expect(filtered.facetDistribution).toEqual(reference.facetDistribution);
  });

  test('five pages of ten concatenate to the limit=50 answer, in both pagination modes', async () => {
    const index = client.index('products');
    for (const query of [{ q: '' }, { q: 'widget' }, { q: '', sort: ['stock:asc'] }]) {
      const whole = await index.search(query.q, { ...query, limit: 50 });
      expect(whole.hits).toHaveLength(50);
      const offsetPages: Doc[] = [];
      const pagePages: Doc[] = [];
      for (let p = 0; p < 5; p++) {
        const byOffset = await index.search(query.q, { ...query, offset: p * 10, limit: 10 });
        expect(byOffset.offset).toBe(p * 10);
        expect(byOffset.limit).toBe(10);
        offsetPages.push(...byOffset.hits);
        const byPage = await index.search(query.q, { ...query, page: p + 1, hitsPerPage: 10 });
        expect(byPage.totalHits).toBe(PRODUCTS);
        expect(byPage.totalPages).toBe(10);
        expect(byPage.page).toBe(p + 1);
        expect(byPage.hitsPerPage).toBe(10);
        pagePages.push(...byPage.hits);
      }
      expect(ids(offsetPages)).toEqual(ids(whole.hits));
      expect(ids(pagePages)).toEqual(ids(whole.hits));
      expect(new Set(ids(offsetPages)).size).toBe(50);
    }
    const last = await index.search('', { page: 11, hitsPerPage: 10 });
    expect(last.hits).toEqual([]);
    expect(last.totalPages).toBe(10);
  });

  test('GET search takes the query-string form', async () => {
    const res = await cluster.request('/indexes/products/search?q=widget&filter=color%20%3D%20blue&sort=price:desc&limit=5&facets=color&attributesToRetrieve=id,price');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { hits: Doc[]; facetDistribution: Record<string, Record<string, number>> };
    const reference = await baseline.client.index('products').search('widget', { filter: 'color = blue', sort: ['price:desc'], limit: 5, facets: ['color'], attributesToRetrieve: ['id', 'price'] });
    expect(body.hits).toEqual(reference.hits);
    expect(body.facetDistribution).toEqual(reference.facetDistribution);
  });

  test('multi-search answers every query in order; federated search merges by weighted score', async () => {
    const multi = await client.multiSearch({
      queries: [
        { indexUid: 'tokens', q: tokenOf(7) },
        { indexUid: 'products', q: 'widget', limit: 3, sort: ['price:asc'] },
      ],
    });
    expect(multi.results.map((r) => r.indexUid)).toEqual(['tokens', 'products']);
    expect(ids(multi.results[0]!.hits)).toEqual(['t-7']);
    expect(multi.results[1]!.hits.map((h) => h['price'])).toEqual([0, 1.5, 3]);

    const federated = await client.multiSearch({
      federation: { limit: 5 },
      queries: [
        { indexUid: 'products', q: 'widget', federationOptions: { weight: 0.5 } },
        { indexUid: 'tokens', q: tokenOf(9), showRankingScore: true },
      ],
    });
    expect(federated.hits).toHaveLength(5);
    const first = federated.hits[0]!;
    expect(first['id']).toBe('t-9');
    expect(first._federation).toEqual({ indexUid: 'tokens', queriesPosition: 1, weightedRankingScore: expect.any(Number) });
    expect(first._rankingScore).toEqual(expect.any(Number));
    expect(federated.hits[1]!._federation!.indexUid).toBe('products');
    expect(federated.hits[1]!._rankingScore).toBeUndefined();
    const scores = federated.hits.map((h) => h._federation!.weightedRankingScore);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(federated.estimatedTotalHits).toBe(PRODUCTS + 1);
  });

  test('documents: global pages without duplicates, fields, filter, ids, one document by id', async () => {
    const index = client.index('products');
    const seen: Doc[] = [];
    for (let offset = 0; offset < PRODUCTS; offset += 30) {
      const page = await index.getDocuments({ offset, limit: 30 });
      expect(page.total).toBe(PRODUCTS);
      seen.push(...page.results);
    }
    expect(new Set(ids(seen)).size).toBe(PRODUCTS);
    expect(seen).toHaveLength(PRODUCTS);

    const deep = await index.getDocuments({ offset: 0, limit: 1_000, fields: ['id'] });
    expect(deep.results).toHaveLength(PRODUCTS);
    expect(deep.results.every((d) => Object.keys(d).join() === 'id')).toBe(true);

    // A window past 1,000 documents is counted first, then read slice by slice: same order.
    const shallow = await index.getDocuments({ offset: 0, limit: 100, fields: ['id'] });
    const deepSlice = await index.getDocuments({ offset: 40, limit: 980, fields: ['id'] });
    expect(deepSlice.total).toBe(PRODUCTS);
    expect(ids(deepSlice.results)).toEqual(ids(shallow.results.slice(40)));

    const red = await index.getDocuments({ filter: 'color = red', limit: 100 });
    expect(red.total).toBe(34);
    expect(red.results.every((d) => d['color'] === 'red')).toBe(true);

    const byIds = await cluster.request('/indexes/products/documents/fetch', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ids: [3, '5', 77], fields: ['id', 'color'] }),
    });
    const byIdsBody = (await byIds.json()) as { results: Doc[]; total: number };
    expect(byIdsBody.total).toBe(3);
    expect(byIdsBody.results.map((d) => d['id']).sort()).toEqual([3, 5, 77]);

    const one = await index.getDocument(42);
    expect(one).toEqual(products[42]);
    const partial = await index.getDocument(42, { fields: ['color'] });
    expect(partial).toEqual({ color: products[42]!['color'] });
    await expect(index.getDocument(4242)).rejects.toMatchObject({ cause: { code: 'document_not_found' } });
  });

  test('stats count every document once and merge fieldDistribution', async () => {
    const stats = await client.index('products').getStats();
    const reference = await baseline.client.index('products').getStats();
    expect(stats.numberOfDocuments).toBe(PRODUCTS);
    expect(stats.fieldDistribution).toEqual(reference.fieldDistribution);
    expect(stats.isIndexing).toBe(false);
    const all = await client.getStats();
    expect(Object.keys(all.indexes).sort()).toEqual(['products', 'tokens']);
    expect(all.indexes['tokens']!.numberOfDocuments).toBe(TOKENS);
    expect(all.databaseSize).toBeGreaterThan(0);
  });

  test('the PK planner sends a primary-key filter to the owning shard only; explain shows the plan', async () => {
    const res = await cluster.request('/indexes/products/explain?execute=true', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ q: '', filter: 'id = 5 AND color = blue' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      plan: { pkPlanner: { narrowed: boolean; shards: number[] }; targets: Array<{ shards: number[]; shardFilter: string }>; uncoveredShards: number[] };
      result: { hits: Doc[] };
    };
    expect(body.plan.pkPlanner.narrowed).toBe(true);
    expect(body.plan.pkPlanner.shards).toHaveLength(1);
    expect(body.plan.targets).toHaveLength(1);
    expect(body.plan.targets[0]!.shardFilter).toContain('_miroir_shard');
    expect(ids(body.result.hits)).toEqual([5]);

    const full = await cluster.request('/indexes/products/explain', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"q":"widget"}' });
    const plan = ((await full.json()) as { plan: { targets: Array<{ shards: number[] }>; pkPlanner: { narrowed: boolean } } }).plan;
    expect(plan.pkPlanner.narrowed).toBe(false);
    expect(plan.targets.flatMap((t) => t.shards).sort((a, b) => a - b)).toEqual([...Array(shape.shards).keys()]);
    const viaPlanner = await client.index('products').search('', { filter: 'id IN [5, 6, 93]' });
    expect(ids(viaPlanner.hits).sort()).toEqual([5, 6, 93]);
  });

  test('bad input gets Meilisearch-shaped 4xx answers', async () => {
    const post = (path: string, body: string) => cluster.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const cases: Array<[Promise<Response>, number, string]> = [
      [post('/indexes/products/search', '{"q": "x", "limit": "ten"}'), 400, 'invalid_search_limit'],
      [post('/indexes/products/search', '{"qq": "x"}'), 400, 'bad_request'],
      [post('/indexes/products/search', '{"q": '), 400, 'bad_request'],
      [post('/indexes/products/search', '{"filter": "title = x"}'), 400, 'invalid_search_filter'],
      [post('/indexes/products/search', '{"filter": 42}'), 400, 'invalid_search_filter'],
      [post('/indexes/products/search', '{"sort": ["title:asc"]}'), 400, 'invalid_search_sort'],
      [post('/indexes/nope/search', '{}'), 404, 'index_not_found'],
      [cluster.request('/indexes/products/search?limit=x'), 400, 'invalid_search_limit'],
      [cluster.request('/indexes/products/documents?offset=-1'), 400, 'invalid_document_offset'],
      [post('/indexes/products/documents/fetch', '{"filter": "nope = 1"}'), 400, 'invalid_document_filter'],
      [post('/multi-search', '{"queries": [{"indexUid": "products"}, {"indexUid": "nope"}]}'), 404, 'index_not_found'],
      [post('/multi-search', '{"queries": [{"q": "x"}]}'), 400, 'missing_index_uid'],
    ];
    for (const [pending, status, code] of cases) {
      const res = await pending;
      const body = (await res.json()) as { code: string; message: string; type: string; link: string };
      expect({ status: res.status, code: body.code }).toEqual({ status, code });
      expect(body).toEqual({ message: expect.any(String), code, type: expect.any(String), link: `https://docs.meilisearch.com/errors#${code}` });
    }
  });

  test('a query for a shard number matches exactly what one node holding everything matches', async () => {
    // Every stored document carries `_miroir_shard`; a query such as "12" (or its prefix "1") must
    // not find the documents of shard 12 through it.
    const index = client.index('products');
    for (let q = 0; q < shape.shards; q++) {
      const [mine, theirs] = await Promise.all([
        index.search(String(q), { limit: PRODUCTS }),
        baseline.client.index('products').search(String(q), { limit: PRODUCTS }),
      ]);
      expect({ q, ids: ids(mine.hits).sort() }).toEqual({ q, ids: ids(theirs.hits).sort() });
      expect(mine.estimatedTotalHits).toBe(theirs.estimatedTotalHits);
    }
    // `40` is in the title of 40 and the price of 71 (40.5); shard 40 holds other documents.
    const reference = ids((await baseline.client.index('products').search('40')).hits).sort();
    expect(reference).toEqual([40, 71]);
    const multi = await client.multiSearch({ queries: [{ indexUid: 'products', q: '40', attributesToSearchOn: ['*'] }] });
    expect(ids(multi.results[0]!.hits).sort()).toEqual(reference);
    const own = await index.search('40', { attributesToSearchOn: ['title', '_miroir_shard'] });
    expect(ids(own.hits)).toEqual([40]);
  });

  test('fields added later, nested ones too, are searchable; explicit searchable attributes are honoured', async () => {
    const index = client.index('later');
    const t = { timeout: 60_000 };
    expect((await index.addDocuments([{ id: 1, title: 'first' }], { primaryKey: 'id' }).waitTask(t)).status).toBe('succeeded');
    expect((await index.addDocuments([{ id: 2, title: 'second', tagline: 'zzunique', meta: { note: 'qqnested', tags: [{ label: 'xxdeep' }] } }]).waitTask(t)).status).toBe('succeeded');
    for (const word of ['zzunique', 'qqnested', 'xxdeep']) expect(ids((await index.search(word)).hits)).toEqual([2]);
    // A document written to a node by hand (not through Miroir) is out of scope; `first` is found.
    expect(ids((await index.search('first')).hits)).toEqual([1]);

    expect((await index.updateSearchableAttributes(['title']).waitTask(t)).status).toBe('succeeded');
    expect((await index.search('zzunique')).hits).toEqual([]);
    expect(ids((await index.search('second')).hits)).toEqual([2]);
    expect(ids((await index.search('second', { attributesToSearchOn: ['title'] })).hits)).toEqual([2]);

    // Changed behind Miroir's back on every node: the API still holds `*` for this settings
    // version and names the fields; the nodes refuse them and the search is answered without.
    expect((await index.resetSearchableAttributes().waitTask(t)).status).toBe('succeeded');
    expect(ids((await index.search('zzunique')).hits)).toEqual([2]);
    await Promise.all(cluster.nodes.map((_, i) => cluster.nodeClient(i).index('later').updateSearchableAttributes(['title']).waitTask(t)));
    expect(ids((await index.search('second')).hits)).toEqual([2]);
    await Promise.all(cluster.nodes.map((_, i) => cluster.nodeClient(i).index('later').resetSearchableAttributes().waitTask(t)));
  });

  test('a field name or a delete filter holding U+0000 is accepted (Postgres text cannot store it; found by the fuzzer)', async () => {
    const index = client.index('nul_fields');
    const t = { timeout: 60_000 };
    expect((await index.addDocuments([{ id: 1, title: 'plain' }], { primaryKey: 'id' }).waitTask(t)).status).toBe('succeeded');
    expect((await index.addDocuments([{ id: 2, 'odd\u0000key': 'wwnulword' }]).waitTask(t)).status).toBe('succeeded');
    // The index is no longer tracked: searched on every field, as before tracking.
    expect(ids((await index.search('wwnulword')).hits)).toEqual([2]);
    expect(ids((await index.search('plain')).hits)).toEqual([1]);
    expect((await index.updateFilterableAttributes(['title']).waitTask(t)).status).toBe('succeeded');
    expect((await index.deleteDocuments({ filter: 'title = "pl\u0000ain"' }).waitTask(t)).status).toBe('succeeded');
    expect((await index.getStats()).numberOfDocuments).toBe(2);
  });

  test('distinct keeps one document per value across shards, as one node does', async () => {
    const index = client.index('products');
    const reference = baseline.client.index('products');
    // With a sort the kept document of each colour is determined (prices are distinct).
    for (const sort of [['price:asc'], ['price:desc']]) {
      const [mine, theirs] = await Promise.all([index.search('widget', { distinct: 'color', sort }), reference.search('widget', { distinct: 'color', sort })]);
      expect(ids(mine.hits)).toEqual(ids(theirs.hits));
      expect(ids(mine.hits)).toHaveLength(3);
    }
    // The client's attributesToRetrieve leaves `color` out: one hit per colour still, without it.
    const narrow = await index.search('widget', { distinct: 'color', sort: ['price:asc'], attributesToRetrieve: ['id'] });
    expect(narrow.hits).toEqual((await reference.search('widget', { distinct: 'color', sort: ['price:asc'], attributesToRetrieve: ['id'] })).hits);
    const colours = (await index.search('', { distinct: 'color', limit: 50 })).hits.map((h) => (h as Doc)['color']);
    expect(colours.sort()).toEqual(['blue', 'green', 'red']);
  });

  test('a filter, facet or distinct on _miroir_shard, and errors naming filterable attributes, read as on one node without it', async () => {
    const index = client.index('products');
    const reference = baseline.client.index('products');
    const same = async (mine: Promise<unknown>, theirs: Promise<unknown>): Promise<void> => {
      const [a, b] = await Promise.all([apiError(mine), apiError(theirs)]);
      expect(a).toEqual(b);
      expect(a.status).toBe(400);
    };
    // The nodes know `_miroir_shard` as filterable; the client's settings do not.
    for (const filter of ['_miroir_shard = 3', 'color = red AND _miroir_shard >= 0', 'title = x', 'title = x OR _miroir_shard = 1']) {
      await same(index.search('', { filter }), reference.search('', { filter }));
      await same(index.getDocuments({ filter }), reference.getDocuments({ filter }));
      await same(client.multiSearch({ queries: [{ indexUid: 'products', filter }] }), baseline.client.multiSearch({ queries: [{ indexUid: 'products', filter }] }));
    }
    for (const facets of [['_miroir_shard'], ['color', '_miroir_shard', 'title'], ['title']]) {
      await same(index.search('', { facets }), reference.search('', { facets }));
    }
    for (const distinct of ['_miroir_shard', 'title']) {
      await same(index.search('', { distinct }), reference.search('', { distinct }));
    }
    // Deleting by such a filter deletes nothing: refused at once with the error the node's task
    // would fail with; a filter on an attribute that is not filterable fails its task, worded alike.
    for (const filter of ['_miroir_shard = 3', 'title = x']) {
      const theirs = await reference.deleteDocuments({ filter }).waitTask({ timeout: 10_000 });
      expect(theirs.status).toBe('failed');
      if (filter.startsWith('_miroir_')) {
        const refused = await apiError(index.deleteDocuments({ filter }));
        expect(refused.status).toBe(400);
        expect(theirs.error).toMatchObject({ code: refused.code, message: refused.message });
      } else {
        const mine = await index.deleteDocuments({ filter }).waitTask({ timeout: 10_000 });
        expect(mine.status).toBe('failed');
        expect(mine.error).toEqual(theirs.error);
      }
    }
    expect((await index.getStats()).numberOfDocuments).toBe(PRODUCTS);
  });

  test('no answer ever contains a _miroir_ field', async () => {
    const index = client.index('products');
    expectNoReserved(
      await index.search('widget', {
        attributesToHighlight: ['*'],
        attributesToCrop: ['*'],
        showMatchesPosition: true,
        facets: ['*'],
        showRankingScoreDetails: true,
        limit: 50,
      }),
    );
    expectNoReserved(await index.search('3', { attributesToRetrieve: ['_miroir_shard', 'id'], facets: ['color'] }));
    expectNoReserved(await index.search('', { filter: 'price >= 0', sort: ['price:asc'] }));
    expectNoReserved(await index.getDocuments({ limit: 100 }));
    expectNoReserved(await index.getDocuments({ limit: 5, fields: ['_miroir_shard', 'id'] }));
    expectNoReserved(await index.getDocument(1));
    expectNoReserved(await index.getStats());
    expectNoReserved(await client.getStats());
    expectNoReserved(await client.multiSearch({ queries: [{ indexUid: 'products', q: 'widget', attributesToHighlight: ['*'] }] }));
    expectNoReserved(await client.multiSearch({ federation: {}, queries: [{ indexUid: 'products', q: 'widget' }, { indexUid: 'tokens', q: 'document' }] }));
    const get = await cluster.request('/indexes/products/search?q=widget&attributesToHighlight=*&showMatchesPosition=true&facets=*');
    expectNoReserved(await get.json());
  });
});
