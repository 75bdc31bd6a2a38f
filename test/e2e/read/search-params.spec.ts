import type { Meilisearch, MultiSearchParams, FederatedMultiSearchParams } from 'meilisearch';
import type { DevNode } from '@miroir/embedded/dev-node';
import { apiError } from '../../support/api-error';
import { startTestCluster, type TestCluster } from '../../support/cluster';
import { meilisearchBin } from '../../support/stack';
import { seedIndex, startBaseline, type ClusterShape, type Doc } from './seed';

// Search parameters Miroir merges across nodes (docs/api-compatibility.md): `showPerformanceDetails`
// on search, multi-search and federated search (each step's slowest node, plus Miroir's own
// steps), and `federation.distinct` (one hit per value over the whole federation), compared with
// one Meilisearch node holding the same documents.
jest.setTimeout(300_000);

const REAL = meilisearchBin() !== undefined;
const DURATION = /^\d+(\.\d+)?(ns|µs|ms|s)$/;

// Brands are unique within an index; b6…b11 are in both, so a federated distinct drops them once.
const aDocs: Doc[] = Array.from({ length: 12 }, (_, i) => ({ id: `a${i}`, title: `alpha item ${i}`, brand: `b${i}`, kind: i % 2 ? 'x' : 'y' }));
const bDocs: Doc[] = Array.from({ length: 12 }, (_, i) => ({ id: `b${i}`, title: `beta item ${i}`, brand: `b${i + 6}`, kind: i % 3 ? 'x' : 'z' }));
const specs = [
  { uid: 'fed_a', primaryKey: 'id', docs: aDocs, filterable: ['brand', 'kind'] },
  { uid: 'fed_b', primaryKey: 'id', docs: bDocs, filterable: ['brand', 'kind'] },
];
const shape: { nodes: number } & ClusterShape = { nodes: 3, groups: 1, replicationFactor: 2, shards: 16 };

let baseline: { node: DevNode; client: Meilisearch };
let cluster: TestCluster;
let client: Meilisearch;

beforeAll(async () => {
  [baseline, cluster] = await Promise.all([startBaseline(specs), startTestCluster({ ...shape })]);
  for (const spec of specs) await seedIndex(cluster, shape, spec);
  client = cluster.client();
});

afterAll(async () => {
  await Promise.all([baseline?.node.stop(), cluster?.stop()]);
});

type Details = Record<string, string> | undefined;

/** Miroir's details: durations only, every step one node lists, and Miroir's own two steps. */
function expectMerged(mine: Details, theirs: Details): void {
  expect(mine).toBeDefined();
  for (const [step, value] of Object.entries(mine!)) expect({ step, value }).toEqual({ step, value: expect.stringMatching(DURATION) });
  for (const step of Object.keys(theirs ?? {})) expect(Object.keys(mine!)).toContain(step);
  expect(Object.keys(mine!)).toEqual(expect.arrayContaining(['miroir > scatter-gather', 'miroir > merge results']));
}

async function sameError(mine: Promise<unknown>, theirs: Promise<unknown>): Promise<void> {
  const [a, b] = await Promise.all([apiError(mine), apiError(theirs)]);
  expect(a).toEqual(b);
  expect(a.status).toBe(400);
}

const details = (r: unknown): Details => (r as { performanceDetails?: Record<string, string> }).performanceDetails;
/** What of a hit does not depend on how ties are ordered: its distinct value and where it comes from. */
const keyBy =
  (attribute: string) =>
  (h: Record<string, unknown>): string =>
    `${String(h[attribute] ?? h['id'])} ${JSON.stringify(h['_federation'])}`;
const brandKey = keyBy('brand');

describe('search parameters merged across nodes (3 nodes, RF=2, 16 shards)', () => {
  test('showPerformanceDetails on search (POST and GET): merged details, hits unchanged', async () => {
    const params = { showPerformanceDetails: true, filter: 'kind = x' };
    const [mine, theirs] = await Promise.all([client.index('fed_a').search('alpha', params), baseline.client.index('fed_a').search('alpha', params)]);
    expectMerged(details(mine), details(theirs));
    // Every hit ties: compared as a set.
    expect(mine.hits.map((h) => h['id']).sort()).toEqual(theirs.hits.map((h) => h['id']).sort());
    expect(mine.estimatedTotalHits).toBe(theirs.estimatedTotalHits);
    expect(details(await client.index('fed_a').search('alpha'))).toBeUndefined();
    const get = await cluster.request('/indexes/fed_a/search?q=alpha&showPerformanceDetails=true');
    expect(get.status).toBe(200);
    expectMerged(details(await get.json()), details(theirs));
    await sameError(client.index('fed_a').search('', { showPerformanceDetails: 1 as never }), baseline.client.index('fed_a').search('', { showPerformanceDetails: 1 as never }));
    const bad = await Promise.all([cluster.request('/indexes/fed_a/search?showPerformanceDetails=x'), fetch(`${baseline.node.url}/indexes/fed_a/search?showPerformanceDetails=x`, { headers: { authorization: `Bearer ${String(baseline.client.config.apiKey)}` } })]);
    expect(await bad[0].json()).toEqual(await bad[1].json());
  });

  test('showPerformanceDetails in multi-search (per query) and federated search (on the federation)', async () => {
    const multi: MultiSearchParams = { queries: [{ indexUid: 'fed_a', q: 'alpha', showPerformanceDetails: true }, { indexUid: 'fed_b', q: 'beta' }] };
    const [mine, theirs] = await Promise.all([client.multiSearch(multi), baseline.client.multiSearch(multi)]);
    expectMerged(details(mine.results[0]), details(theirs.results[0]));
    expect(details(mine.results[1])).toBeUndefined();
    // A query reads it as optional: null is "not asked" there (a search refuses null).
    const nullQuery = { queries: [{ indexUid: 'fed_a', q: 'alpha', showPerformanceDetails: null as never }] };
    const [n1, n2] = await Promise.all([client.multiSearch(nullQuery), baseline.client.multiSearch(nullQuery)]);
    expect([details(n1.results[0]), n1.results[0]!.hits.length]).toEqual([details(n2.results[0]), n2.results[0]!.hits.length]);
    await sameError(client.index('fed_a').search('', { showPerformanceDetails: null as never }), baseline.client.index('fed_a').search('', { showPerformanceDetails: null as never }));
    const fed: FederatedMultiSearchParams = { federation: { showPerformanceDetails: true }, queries: [{ indexUid: 'fed_a', q: 'alpha' }, { indexUid: 'fed_b', q: 'beta' }] };
    const [f1, f2] = await Promise.all([client.multiSearch(fed), baseline.client.multiSearch(fed)]);
    expectMerged(details(f1), details(f2));
    const perQuery = { federation: {}, queries: [{ indexUid: 'fed_a', q: 'alpha', showPerformanceDetails: false }] };
    await sameError(client.multiSearch(perQuery), baseline.client.multiSearch(perQuery));
    const nullFlag = { federation: { showPerformanceDetails: null as never }, queries: [{ indexUid: 'fed_a' }] };
    await sameError(client.multiSearch(nullFlag), baseline.client.multiSearch(nullFlag));
  });

  test('federation.distinct keeps one hit per value over the whole federation, total lowered per dropped hit', async () => {
    const queries = [
      { indexUid: 'fed_a', q: '' },
      { indexUid: 'fed_b', q: '', federationOptions: { weight: 0.5 } },
    ];
    for (const federation of [{ distinct: 'brand', limit: 30 }, { distinct: 'brand', page: 1, hitsPerPage: 30 }, { distinct: 'kind', limit: 30 }]) {
      const body = { federation, queries };
      const [mine, theirs] = await Promise.all([client.multiSearch(body), baseline.client.multiSearch(body)]);
      // Hits of one query tie (placeholder search): compared as sets, as a single node orders ties by document id.
      const key = keyBy(federation.distinct);
      expect(mine.hits.map(key).sort()).toEqual(theirs.hits.map(key).sort());
      expect([mine.estimatedTotalHits, mine.totalHits, mine.totalPages]).toEqual([theirs.estimatedTotalHits, theirs.totalHits, theirs.totalPages]);
    }
    // A plain search with distinct: the nodes returned every match, so the total is exact too.
    for (const params of [{ distinct: 'kind' }, { distinct: 'kind', page: 1, hitsPerPage: 10 }, { distinct: 'kind', attributesToRetrieve: ['id'] }]) {
      const [mine, theirs] = (await Promise.all([client.index('fed_a').search('', params), baseline.client.index('fed_a').search('', params)])) as Array<Record<string, unknown> & { hits: unknown[] }>;
      expect([mine!.estimatedTotalHits, mine!.totalHits, mine!.totalPages, mine!.hits.length]).toEqual([theirs!.estimatedTotalHits, theirs!.totalHits, theirs!.totalPages, theirs!.hits.length]);
    }
    const all = await client.multiSearch({ federation: { distinct: 'brand', limit: 30 }, queries });
    expect(all.hits).toHaveLength(18);
    expect(all.estimatedTotalHits).toBe(18);
    // The distinct attribute left out of attributesToRetrieve: still deduplicated, and not shown.
    const narrow = { federation: { distinct: 'brand', limit: 30 }, queries: queries.map((q) => ({ ...q, attributesToRetrieve: ['id'] })) };
    const [n1, n2] = await Promise.all([client.multiSearch(narrow), baseline.client.multiSearch(narrow)]);
    expect(n1.hits.map(brandKey).sort()).toEqual(n2.hits.map(brandKey).sort());
    expect(n1.hits.every((h) => Object.keys(h).join() === 'id,_federation')).toBe(true);
    const page = await client.multiSearch({ federation: { distinct: 'brand', limit: 5, offset: 2 }, queries });
    expect(page.hits).toHaveLength(5);
    expect(new Set(page.hits.map((h) => h['brand'])).size).toBe(5);
  });

  (REAL ? test : test.skip)('federation.distinct takes the dropped hits off facetsByIndex and merged facets', async () => {
    const queries = [
      { indexUid: 'fed_a', q: '' },
      { indexUid: 'fed_b', q: '', federationOptions: { weight: 0.5 } },
    ];
    for (const extra of [{}, { mergeFacets: {} }]) {
      const body = { federation: { distinct: 'brand', limit: 30, facetsByIndex: { fed_a: ['kind'], fed_b: ['kind', 'brand'] }, ...extra }, queries: queries.map((q) => ({ ...q, attributesToRetrieve: ['title'] })) };
      const [mine, theirs] = await Promise.all([client.multiSearch(body), baseline.client.multiSearch(body)]);
      expect(mine.facetsByIndex).toEqual(theirs.facetsByIndex);
      expect(mine.facetDistribution).toEqual(theirs.facetDistribution);
      expect(mine.hits.map((h) => h['title']).sort()).toEqual(theirs.hits.map((h) => h['title']).sort());
    }
  });

  test('federation.distinct errors read as on one node', async () => {
    const withQueryDistinct = { federation: { distinct: 'brand' }, queries: [{ indexUid: 'fed_a', distinct: 'kind' }] };
    await sameError(client.multiSearch(withQueryDistinct), baseline.client.multiSearch(withQueryDistinct));
    const notString = { federation: { distinct: 1 as never }, queries: [{ indexUid: 'fed_a' }] };
    await sameError(client.multiSearch(notString), baseline.client.multiSearch(notString));
    const notFilterable = { federation: { distinct: 'title' }, queries: [{ indexUid: 'fed_a' }] };
    await sameError(client.multiSearch(notFilterable), baseline.client.multiSearch(notFilterable));
    if (REAL) {
      const unknown = { federation: { bogus: 1 } as never, queries: [{ indexUid: 'fed_a' }] };
      await sameError(client.multiSearch(unknown), baseline.client.multiSearch(unknown));
    }
  });
});
