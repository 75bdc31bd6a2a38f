import type { Meilisearch, SearchForFacetValuesParams } from 'meilisearch';
import type { DevNode } from '@miroir/embedded/dev-node';
import { apiError } from '../../support/api-error';
import { startTestCluster, type TestCluster } from '../../support/cluster';
import { seedIndex, startBaseline, type ClusterShape, type Doc } from './seed';

// POST /indexes/{uid}/facet-search over a sharded cluster answers what one Meilisearch node holding
// the same documents answers (docs/api-compatibility.md, facet search): counts summed over the
// shards, values kept, ordered and capped as the node does, errors worded as the node words them
// (and never naming `_miroir_shard`). The official client drives both.
jest.setTimeout(300_000);

const DOCS = 120;
const GENRES = ['Sci Fi', 'drama', 'Comedy', 'sci-fi', 'horror', 'Drama Queen'];
const COLORS = ['red', 'green', 'blue', 'yellow'];

const docs: Doc[] = Array.from({ length: DOCS }, (_, i) => ({
  id: i,
  title: `widget number ${i}`,
  color: COLORS[i % 4],
  genre: GENRES[i % 6],
  tags: [`a${i % 3}`, `b${i % 2}`, `t${i % 7}`],
  price: ((i * 37) % DOCS) * 1.5,
  flag: i % 5 === 0,
}));

const spec = { uid: 'facets', primaryKey: 'id', docs, filterable: ['color', 'genre', 'tags', 'price', 'flag', 'id'] };
const shape: { nodes: number } & ClusterShape = { nodes: 3, groups: 1, replicationFactor: 2, shards: 16 };

let baseline: { node: DevNode; client: Meilisearch };
let cluster: TestCluster;
let client: Meilisearch;

beforeAll(async () => {
  [baseline, cluster] = await Promise.all([startBaseline([spec]), startTestCluster({ ...shape })]);
  await seedIndex(cluster, shape, spec);
  client = cluster.client();
});

afterAll(async () => {
  await Promise.all([baseline?.node.stop(), cluster?.stop()]);
});

const withoutTime = (r: { facetHits: unknown; facetQuery: unknown }): unknown => ({ facetHits: r.facetHits, facetQuery: r.facetQuery });

async function same(params: SearchForFacetValuesParams): Promise<void> {
  const [mine, theirs] = await Promise.all([client.index('facets').searchForFacetValues(params), baseline.client.index('facets').searchForFacetValues(params)]);
  expect({ params, ...(withoutTime(mine) as object) }).toEqual({ params, ...(withoutTime(theirs) as object) });
  expect(mine.processingTimeMs).toEqual(expect.any(Number));
}

async function sameError(params: unknown, raw = false): Promise<void> {
  const call = (c: Meilisearch): Promise<unknown> => c.index('facets').searchForFacetValues(params as SearchForFacetValuesParams);
  const [mine, theirs] = await Promise.all([apiError(raw ? rawFacetSearch(cluster.url, cluster.masterKey, params) : call(client)), apiError(raw ? rawFacetSearch(baseline.node.url, baselineKey(), params) : call(baseline.client))]);
  expect({ params, ...mine }).toEqual({ params, ...theirs });
  expect(mine.status).toBeGreaterThanOrEqual(400);
  expect(mine.status).toBeLessThan(500);
}

/** The baseline node's key, as startBaseline set it on its client. */
function baselineKey(): string {
  return (baseline.client.config.apiKey ?? '') as string;
}

/** A body the client would not send (missing facetName, not an object), as an SDK-shaped error. */
async function rawFacetSearch(url: string, key: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${url}/indexes/facets/facet-search`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const parsed = (await res.json()) as { code?: string; message?: string; type?: string };
  if (res.ok) return parsed;
  throw Object.assign(new Error(parsed.message), { name: 'MeilisearchApiError', response: { status: res.status }, cause: parsed });
}

describe('facet search on 3 nodes, RF=2, 16 shards', () => {
  test('values and counts equal one node holding everything', async () => {
    await same({ facetName: 'color' });
    await same({ facetName: 'genre' });
    await same({ facetName: 'tags' });
    await same({ facetName: 'flag' });
    // Numbers are not facet-searchable values: both answer no hits.
    await same({ facetName: 'price' });
  });

  test('facetQuery: prefixes, typos, normalisation', async () => {
    for (const facetQuery of ['sc', 'sci fi', 'SCI', 'dram', 'drama q', 'comdy', 'horor', 'zzz', '', 't', 'tru']) {
      await same({ facetName: facetQuery === 't' || facetQuery === 'tru' ? 'flag' : 'genre', facetQuery });
    }
    await same({ facetName: 'tags', facetQuery: 'a' });
  });

  test('the documents counted: q, filter, matchingStrategy, attributesToSearchOn, exhaustiveFacetCount', async () => {
    await same({ facetName: 'tags', q: 'widget', filter: 'price > 50' });
    await same({ facetName: 'tags', q: 'number 1', matchingStrategy: 'all' });
    await same({ facetName: 'tags', q: 'number 1', matchingStrategy: 'last' });
    await same({ facetName: 'genre', filter: ['color = red OR color = blue', 'price < 100'] });
    await same({ facetName: 'genre', filter: 'id = 7' });
    await same({ facetName: 'color', q: 'widget', attributesToSearchOn: ['title'], exhaustiveFacetCount: true });
    // A query for a shard number matches no document through `_miroir_shard`.
    await same({ facetName: 'color', q: '3' });
    await same({ facetName: 'color', q: '3', exhaustiveFacetCount: false, facetQuery: 'r' });
    // Fields facet search does not read are ignored, as Meilisearch ignores them.
    await same({ facetName: 'color', limit: 1, sort: ['price:asc'] } as SearchForFacetValuesParams);
  });

  test('sortFacetValuesBy and maxValuesPerFacet keep, order and cap as one node', async () => {
    const faceting = async (f: Record<string, unknown>): Promise<void> => {
      await Promise.all([client, baseline.client].map(async (c) => expect((await c.index('facets').updateFaceting(f).waitTask({ timeout: 60_000 })).status).toBe('succeeded')));
    };
    // Count order is exact while no shard has more values than the cap (docs/api-compatibility.md).
    await faceting({ sortFacetValuesBy: { '*': 'count' }, maxValuesPerFacet: 20 });
    for (const facetName of ['tags', 'genre', 'color', 'flag']) await same({ facetName });
    await same({ facetName: 'tags', q: 'widget', filter: 'price < 90' });
    // Alpha order with a small cap: exact whatever the shards hold.
    await faceting({ sortFacetValuesBy: { '*': 'alpha', genre: 'count' }, maxValuesPerFacet: 3 });
    for (const facetName of ['tags', 'color']) await same({ facetName });
    await same({ facetName: 'tags', facetQuery: 't' });
    await faceting({ sortFacetValuesBy: { '*': 'alpha' }, maxValuesPerFacet: 100 });
  });

  test('errors read as on one node, and never name _miroir_shard', async () => {
    await sameError({ facetName: 'title' });
    await sameError({ facetName: '_miroir_shard' });
    await sameError({ facetName: '_miroir_shard', filter: 'color = red' });
    await sameError({ facetName: 'color', filter: '_miroir_shard = 1' });
    await sameError({ facetName: 'color', filter: 'color = red AND _miroir_shard >= 0' });
    await sameError({ facetName: 'color', filter: 'title = x' });
    await sameError({ facetName: 'color', filter: 'color = ' });
    await sameError({ facetName: 'color', filter: 3 });
    await sameError({ facetName: 'color', filter: ['color = red', 3] });
    await sameError({ facetName: 3 });
    await sameError({ facetName: null });
    await sameError({ facetName: 'color', facetQuery: 3 });
    await sameError({ facetName: 'color', exhaustiveFacetCount: 'x' });
    await sameError({ facetName: 'color', q: 3 });
    await sameError({ facetName: 'color', matchingStrategy: 'x' });
    await sameError({ facetName: 'color', rankingScoreThreshold: 3 });
    await sameError({ q: 'x' }, true);
    // One attribute hidden by displayedAttributes: the list says so; `_miroir_shard` (hidden on
    // the nodes too) does not make it say so.
    const displayed = async (attrs: string[]): Promise<void> => {
      await Promise.all([client, baseline.client].map(async (c) => expect((await c.index('facets').updateDisplayedAttributes(attrs).waitTask({ timeout: 60_000 })).status).toBe('succeeded')));
    };
    await displayed(['id', 'title', 'color', 'genre', 'tags', 'price', 'flag']);
    await sameError({ facetName: 'title' });
    await sameError({ facetName: '_miroir_shard' });
    await displayed(['id', 'title', 'genre']);
    await sameError({ facetName: 'title' });
    await same({ facetName: 'color' });
    await displayed(['*']);
    const missing = await Promise.all([apiError(client.index('nope').searchForFacetValues({ facetName: 'x' })), apiError(baseline.client.index('nope').searchForFacetValues({ facetName: 'x' }))]);
    expect(missing[0]).toEqual(missing[1]);
  });
});
