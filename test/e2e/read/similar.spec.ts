import { join } from 'node:path';
import type { Meilisearch, SearchSimilarDocumentsParams } from 'meilisearch';
import { freePort } from '@miroir/embedded';
import type { DevNode } from '@miroir/embedded/dev-node';
import { apiError } from '../../support/api-error';
import { meiliClient } from '../../support/client';
import { startTestCluster, type TestCluster } from '../../support/cluster';
import { startTestNode } from '../../support/node';
import { meilisearchBin, testDir, uniqueSuffix } from '../../support/stack';
import type { Doc } from './seed';

// GET|POST /indexes/{uid}/similar over a sharded cluster answers what one Meilisearch node holding
// the same documents answers (docs/api-compatibility.md, similar documents): the node holding the
// reference document answers /similar for its shards, the others a vector search with the
// document's embedding, merged by score. Neighbours need an embedder: they are compared on real
// Meilisearch nodes (a userProvided embedder, vectors sent in `_vectors`); the dev node has no
// embedders, so there the suite compares what both answer without one.
jest.setTimeout(300_000);

const REAL = meilisearchBin() !== undefined;
const DIMS = 6;
const COUNT = 60;
const WAIT = { timeout: 120_000 };

/** A deterministic pseudo-random vector per document (no two documents tie in similarity). */
function vectorOf(i: number): number[] {
  let seed = (i + 1) * 2654435761;
  return Array.from({ length: DIMS }, () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.round(((seed / 2147483648) * 2 - 1) * 1e4) / 1e4;
  });
}

const docs: Doc[] = [
  ...Array.from({ length: COUNT }, (_, i) => ({ id: i, title: `item ${i}`, genre: ['a', 'b', 'c'][i % 3], _vectors: { default: vectorOf(i) } })),
  // No embedding: its neighbours are none, its total still counts every other document.
  { id: 1000, title: 'no vector', genre: 'a', _vectors: { default: null } },
];

async function seed(client: Meilisearch, withEmbedder: boolean): Promise<void> {
  for (const uid of ['vectors', 'plain']) {
    expect((await client.createIndex(uid, { primaryKey: 'id' }).waitTask(WAIT)).status).toBe('succeeded');
  }
  const settings = { filterableAttributes: ['genre', 'id'], ...(withEmbedder ? { embedders: { default: { source: 'userProvided' as const, dimensions: DIMS } } } : {}) };
  expect((await client.index('vectors').updateSettings(settings).waitTask(WAIT)).status).toBe('succeeded');
  const withoutVectors = docs.map(({ _vectors: _v, ...d }) => d);
  expect((await client.index('vectors').addDocuments(withEmbedder ? docs : withoutVectors).waitTask(WAIT)).status).toBe('succeeded');
  expect((await client.index('plain').addDocuments(withoutVectors.slice(0, 10)).waitTask(WAIT)).status).toBe('succeeded');
}

let node: DevNode;
let baseline: Meilisearch;
let cluster: TestCluster;
let client: Meilisearch;
const key = `baseline-${uniqueSuffix()}-0123456789`;

beforeAll(async () => {
  const port = await freePort();
  [node, cluster] = await Promise.all([
    startTestNode({ httpAddr: `127.0.0.1:${port}`, dbPath: join(testDir(), `similar-${uniqueSuffix()}`), masterKey: key }),
    startTestCluster({ nodes: 3, groups: 1, replicationFactor: 2, shards: 16 }),
  ]);
  baseline = meiliClient(node.url, key);
  client = cluster.client();
  await Promise.all([seed(baseline, REAL), seed(client, REAL)]);
});

afterAll(async () => {
  await Promise.all([node?.stop(), cluster?.stop()]);
});

async function same(params: SearchSimilarDocumentsParams, index = 'vectors'): Promise<void> {
  const [mine, theirs] = await Promise.all([client.index(index).searchSimilarDocuments(params), baseline.index(index).searchSimilarDocuments(params)]);
  const { processingTimeMs: t1, performanceDetails: p1, ...a } = mine as typeof mine & { performanceDetails?: unknown };
  const { processingTimeMs: t2, performanceDetails: p2, ...b } = theirs as typeof theirs & { performanceDetails?: unknown };
  expect({ params, ...a }).toEqual({ params, ...b });
  expect(typeof t1).toBe('number');
  expect(p1 === undefined).toBe(p2 === undefined);
}

/** A raw call (GET, or a body the client would not send), as an SDK-shaped error when it fails. */
async function raw(base: string, apiKey: string, path: string, body?: unknown): Promise<unknown> {
  const init: RequestInit = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(`${base}${path}`, { ...init, headers: { ...(init.headers as object), authorization: `Bearer ${apiKey}` } });
  const parsed = (await res.json()) as Record<string, unknown>;
  if (res.ok) return parsed;
  throw Object.assign(new Error(String(parsed['message'])), { name: 'MeilisearchApiError', response: { status: res.status }, cause: parsed });
}

async function sameError(mine: Promise<unknown>, theirs: Promise<unknown>): Promise<void> {
  const [a, b] = await Promise.all([apiError(mine), apiError(theirs)]);
  expect(a).toEqual(b);
  expect(a.status).toBeGreaterThanOrEqual(400);
  expect(a.status).toBeLessThan(500);
}

const both = (path: string, body?: unknown): [Promise<unknown>, Promise<unknown>] => [raw(cluster.url, cluster.masterKey, path, body), raw(node.url, key, path, body)];

describe('similar documents on 3 nodes, RF=2, 16 shards', () => {
  (REAL ? test : test.skip)('neighbours of every document equal one node holding everything', async () => {
    for (let id = 0; id < COUNT; id += 3) await same({ id, embedder: 'default', limit: 8, showRankingScore: true });
    await same({ id: 1000, embedder: 'default' });
    await same({ id: '7', embedder: 'default', offset: 3, limit: 5 });
    await same({ id: 10, embedder: 'default', filter: 'genre = b', limit: 30 });
    await same({ id: 10, embedder: 'default', filter: ['genre = a OR genre = c', 'id > 20'], showRankingScoreDetails: true });
    await same({ id: 11, embedder: 'default', attributesToRetrieve: ['id'], showRankingScore: true, limit: 4 });
    await same({ id: 12, embedder: 'default', retrieveVectors: true, limit: 3 } as SearchSimilarDocumentsParams);
    await same({ id: 13, embedder: 'default', limit: 100 });
    await same({ id: 14, embedder: 'default', limit: 0 });
    // A threshold below which some neighbours fall inside the page: same hits and total.
    await same({ id: 15, embedder: 'default', rankingScoreThreshold: 0.75, limit: 80, showRankingScore: true });
    const [get, getRef] = both('/indexes/vectors/similar?id=16&embedder=default&limit=5&filter=genre%20%3D%20a&showRankingScore=true');
    const [g, r] = (await Promise.all([get, getRef])) as Array<Record<string, unknown>>;
    expect({ ...g, processingTimeMs: 0 }).toEqual({ ...r, processingTimeMs: 0 });
  });

  (REAL ? test : test.skip)('showPerformanceDetails: the nodes’ steps, slowest node per step, plus Miroir’s', async () => {
    const res = (await client.index('vectors').searchSimilarDocuments({ id: 1, embedder: 'default', showPerformanceDetails: true })) as unknown as { performanceDetails: Record<string, string> };
    const ref = (await baseline.index('vectors').searchSimilarDocuments({ id: 1, embedder: 'default', showPerformanceDetails: true })) as unknown as { performanceDetails: Record<string, string> };
    const duration = /^\d+(\.\d+)?(ns|µs|ms|s)$/;
    for (const [step, value] of Object.entries(res.performanceDetails)) expect({ step, value }).toEqual({ step, value: expect.stringMatching(duration) });
    for (const step of Object.keys(ref.performanceDetails)) expect(Object.keys(res.performanceDetails)).toContain(step);
    expect(Object.keys(res.performanceDetails)).toEqual(expect.arrayContaining(['miroir > scatter-gather', 'miroir > merge results']));
  });

  test('errors read as on one node', async () => {
    const idx = (c: Meilisearch): ReturnType<Meilisearch['index']> => c.index('vectors');
    const cases: unknown[] = [
      { id: 9999, embedder: 'default' },
      { id: 1, embedder: 'nope' },
      { id: 9999, embedder: 'default', filter: 'title = x' },
      { id: 1, embedder: 'default', filter: '_miroir_shard = 1' },
      { id: 1, embedder: 'default', filter: 'genre = ' },
      { id: 1, embedder: 'default', filter: 3 },
      { id: 1, embedder: 'default', filter: [['genre = a', 4]] },
      { id: 'a b', embedder: 'default' },
      { id: 1.5, embedder: 'default' },
      { id: true, embedder: 'default' },
      { id: 1, embedder: 'default', offset: -1 },
      { id: 1, embedder: 'default', limit: 'x' },
      { id: 1, embedder: 3 },
      { id: 1, embedder: 'default', attributesToRetrieve: 'id' },
      { id: 1, embedder: 'default', rankingScoreThreshold: 2 },
      { id: 1, embedder: 'default', showRankingScore: 1 },
      { id: 1, embedder: 'default', showPerformanceDetails: 'x' },
      { embedder: 'default', limit: 'x', bogus: 1 },
      { id: 1, embedder: 'default', bogus: 1 },
    ];
    for (const body of cases) {
      await sameError(idx(client).searchSimilarDocuments(body as SearchSimilarDocumentsParams), idx(baseline).searchSimilarDocuments(body as SearchSimilarDocumentsParams));
    }
    for (const body of [{ id: 1 }, {}, 'x', { embedder: 'default' }]) await sameError(...both('/indexes/vectors/similar', body));
    for (const q of ['embedder=default', 'id=1', 'id=1&embedder=default&bogus=1', 'id=1&embedder=default&limit=x', 'id=a%20b&embedder=default', 'id=1&embedder=default&rankingScoreThreshold=x', 'id=1&embedder=nope']) {
      await sameError(...both(`/indexes/vectors/similar?${q}`));
    }
    // An index without embedders (the embedder is judged before the id and the filter), and one that does not exist.
    for (const body of [{ id: 1, embedder: 'default' }, { id: 'a b', embedder: 'default' }, { id: 9999, embedder: 'default', filter: '_miroir_shard = 1' }]) {
      await sameError(client.index('plain').searchSimilarDocuments(body), baseline.index('plain').searchSimilarDocuments(body));
    }
    await sameError(client.index('nope').searchSimilarDocuments({ id: 1, embedder: 'default' }), baseline.index('nope').searchSimilarDocuments({ id: 1, embedder: 'default' }));
  });
});
