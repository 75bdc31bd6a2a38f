// Conformance: every route of the dev node, driven only through the official meilisearch client.
import { apiError, startSim, type SimHandle } from './support/sim-node';
import type { Meilisearch as MeiliClient } from 'meilisearch';
import { meiliClient, TASK_WAIT } from '../support/client';

const MASTER = 'conformance-master-key-0123456789';

let sim: SimHandle;
let client: MeiliClient;

beforeAll(async () => {
  sim = await startSim({ masterKey: MASTER });
  client = sim.client();
});
afterAll(async () => {
  await sim?.dispose();
});

describe('health and version', () => {
  it('answers /health without a key and /version with one', async () => {
    const anonymous = meiliClient(sim.node.url);
    expect(await anonymous.health()).toEqual({ status: 'available' });
    const v = await client.getVersion();
    expect(typeof v.pkgVersion).toBe('string');
  });
});

describe('indexes', () => {
  it('creates, lists with offset/limit, gets, updates the primary key and deletes', async () => {
    const t1 = await client.createIndex('idx_a', { primaryKey: 'id' }).waitTask(TASK_WAIT);
    expect(t1.status).toBe('succeeded');
    expect(t1.type).toBe('indexCreation');
    expect(t1.details).toEqual({ primaryKey: 'id' });
    await client.createIndex('idx_b').waitTask(TASK_WAIT);
    await client.createIndex('idx_c').waitTask(TASK_WAIT);

    const page = await client.getIndexes({ offset: 1, limit: 1 });
    expect(page.total).toBeGreaterThanOrEqual(3);
    expect(page.offset).toBe(1);
    expect(page.limit).toBe(1);
    expect(page.results).toHaveLength(1);

    const raw = await client.getRawIndex('idx_a');
    expect(raw).toMatchObject({ uid: 'idx_a', primaryKey: 'id' });
    expect(typeof raw.createdAt).toBe('string');

    const upd = await client.updateIndex('idx_b', { primaryKey: 'sku' }).waitTask();
    expect(upd.status).toBe('succeeded');
    expect((await client.getRawIndex('idx_b')).primaryKey).toBe('sku');

    const dup = await client.createIndex('idx_a').waitTask(TASK_WAIT);
    expect(dup.status).toBe('failed');
    expect(dup.error?.code).toBe('index_already_exists');

    const del = await client.deleteIndex('idx_c').waitTask();
    expect(del.status).toBe('succeeded');
    expect(del.details).toEqual({ deletedDocuments: 0 });
    const e = await apiError(client.getRawIndex('idx_c'));
    expect(e).toMatchObject({ status: 404, code: 'index_not_found', message: 'Index `idx_c` not found.' });
  });

  it('rejects an invalid index uid synchronously', async () => {
    const e = await apiError(client.createIndex('not valid!'));
    expect(e).toMatchObject({ status: 400, code: 'invalid_index_uid' });
  });

  it('fails index update and deletion on an unknown index in the task', async () => {
    const t = await client.deleteIndex('nope_idx').waitTask();
    expect(t.status).toBe('failed');
    expect(t.error).toMatchObject({ code: 'index_not_found', type: 'invalid_request' });
  });
});

describe('documents', () => {
  const movies = [
    { id: 1, title: 'Carol', genre: 'romance', year: 2015, meta: { lang: 'en', runtime: 118 } },
    { id: 2, title: 'Wonder Woman', genre: 'action', year: 2017, meta: { lang: 'en', runtime: 141 } },
    { id: 3, title: 'Life of Pi', genre: 'adventure', year: 2012, meta: { lang: 'en', runtime: 127 } },
    { id: 4, title: 'Mad Max: Fury Road', genre: 'action', year: 2015, meta: { lang: 'en', runtime: 120 } },
    { id: 5, title: 'Moana', genre: 'animation', year: 2016, meta: { lang: 'en', runtime: 107 } },
  ];

  beforeAll(async () => {
    const t = await client.index('movies').addDocuments(movies).waitTask();
    expect(t.status).toBe('succeeded');
    await client.index('movies').updateFilterableAttributes(['genre', 'year']).waitTask();
  });

  it('adds with primary-key inference and reports details', async () => {
    const tasks = await client.tasks.getTasks({ indexUids: ['movies'], types: ['documentAdditionOrUpdate'] });
    const t = tasks.results[tasks.results.length - 1]!;
    expect(t.details).toEqual({ receivedDocuments: 5, indexedDocuments: 5 });
    expect((await client.getRawIndex('movies')).primaryKey).toBe('id');
  });

  it('lists with offset, limit and fields in a stable order', async () => {
    const res = await client.index('movies').getDocuments({ offset: 1, limit: 2, fields: ['title'] });
    expect(res).toEqual({ results: [{ title: 'Wonder Woman' }, { title: 'Life of Pi' }], offset: 1, limit: 2, total: 5 });
  });

  it('lists with a filter (POST /documents/fetch) and nested fields', async () => {
    const res = await client.index('movies').getDocuments({ filter: 'genre = action AND year >= 2015', fields: ['id', 'meta.runtime'] });
    expect(res.results).toEqual([
      { id: 2, meta: { runtime: 141 } },
      { id: 4, meta: { runtime: 120 } },
    ]);
    expect(res.total).toBe(2);
  });

  it('gets one document with fields, and 404 document_not_found', async () => {
    expect(await client.index('movies').getDocument(3, { fields: ['title'] })).toEqual({ title: 'Life of Pi' });
    const e = await apiError(client.index('movies').getDocument(999));
    expect(e).toMatchObject({ status: 404, code: 'document_not_found', message: 'Document `999` not found.' });
  });

  it('errors on an unknown index', async () => {
    expect(await apiError(client.index('ghost').getDocuments())).toMatchObject({ status: 404, code: 'index_not_found' });
    expect(await apiError(client.index('ghost').search('x'))).toMatchObject({ status: 404, code: 'index_not_found' });
    expect(await apiError(client.index('ghost').getSettings())).toMatchObject({ status: 404, code: 'index_not_found' });
    expect(await apiError(client.index('ghost').getStats())).toMatchObject({ status: 404, code: 'index_not_found' });
  });

  it('rejects invalid filters with invalid_document_filter', async () => {
    const bad = await apiError(client.index('movies').getDocuments({ filter: 'genre = ' }));
    expect(bad).toMatchObject({ status: 400, code: 'invalid_document_filter' });
    const notFilterable = await apiError(client.index('movies').getDocuments({ filter: 'title = Carol' }));
    expect(notFilterable.code).toBe('invalid_document_filter');
    expect(notFilterable.message).toContain('Attribute `title` is not filterable');
  });

  it('PUT merges with the stored document, POST replaces it', async () => {
    const idx = client.index('docs_merge');
    await idx.addDocuments([{ id: 'a', x: 1, y: 1 }]).waitTask();
    await idx.updateDocuments([{ id: 'a', y: 2, z: 3 }]).waitTask();
    expect(await idx.getDocument('a')).toEqual({ id: 'a', x: 1, y: 2, z: 3 });
    await idx.addDocuments([{ id: 'a', w: 0 }]).waitTask();
    expect(await idx.getDocument('a')).toEqual({ id: 'a', w: 0 });
  });

  it('accepts NDJSON and CSV with typed headers', async () => {
    const idx = client.index('formats');
    const nd = await idx.addDocumentsFromString('{"id":1,"n":"one"}\n{"id":2,"n":"two"}\n', 'application/x-ndjson', { primaryKey: 'id' }).waitTask();
    expect(nd.status).toBe('succeeded');
    const csv = await idx.addDocumentsFromString('id:number,n,price:number,ok:boolean\n3,three,9.5,true\n4,"four, too",,false\n', 'text/csv').waitTask();
    expect(csv.status).toBe('succeeded');
    expect(await idx.getDocument(4)).toEqual({ id: 4, n: 'four, too', price: null, ok: false });
    expect((await idx.getDocuments()).total).toBe(4);
  });

  it('fails the task for a document without a primary key, and for a bad id', async () => {
    const idx = client.index('pk_errors');
    const noCandidate = await idx.addDocuments([{ title: 'no id here' }]).waitTask();
    expect(noCandidate.status).toBe('failed');
    expect(noCandidate.error?.code).toBe('index_primary_key_no_candidate_found');

    await client.createIndex('pk_errors2', { primaryKey: 'id' }).waitTask(TASK_WAIT);
    const missing = await client.index('pk_errors2').addDocuments([{ id: 1 }, { title: 'x' }]).waitTask();
    expect(missing.status).toBe('failed');
    expect(missing.error?.code).toBe('missing_document_id');
    expect(missing.details).toMatchObject({ receivedDocuments: 2, indexedDocuments: 0 });
    // The whole task failed: not even the valid document was written.
    expect((await client.index('pk_errors2').getDocuments()).total).toBe(0);

    const badId = await client.index('pk_errors2').addDocuments([{ id: 'has space' }]).waitTask();
    expect(badId.error?.code).toBe('invalid_document_id');
  });

  it('rejects malformed payloads and wrong content types on the request', async () => {
    const idx = client.index('payloads');
    expect(await apiError(idx.addDocumentsFromString('[{"id":1', 'application/json'))).toMatchObject({ status: 400, code: 'malformed_payload' });
    expect(await apiError(idx.addDocumentsFromString('', 'application/json'))).toMatchObject({ status: 400, code: 'missing_payload' });
    expect(await apiError(idx.addDocumentsFromString('[1,2]', 'application/json'))).toMatchObject({ code: 'malformed_payload' });
    const ct = await apiError(idx.addDocumentsFromString('x', 'text/plain' as 'text/csv'));
    expect(ct).toMatchObject({ status: 415, code: 'invalid_content_type' });
  });

  it('deletes one, a batch, by filter, and all', async () => {
    const idx = client.index('deletions');
    await idx.addDocuments(Array.from({ length: 10 }, (_, i) => ({ id: i, even: i % 2 === 0 }))).waitTask();
    await idx.updateFilterableAttributes(['even']).waitTask();
    const one = await idx.deleteDocument(0).waitTask();
    expect(one.details).toMatchObject({ providedIds: 1, deletedDocuments: 1 });
    const batch = await idx.deleteDocuments([1, 2, 77]).waitTask();
    expect(batch.details).toMatchObject({ providedIds: 3, deletedDocuments: 2 });
    const byFilter = await idx.deleteDocuments({ filter: 'even = true' }).waitTask();
    expect(byFilter.type).toBe('documentDeletion');
    expect(byFilter.details).toMatchObject({ deletedDocuments: 3, originalFilter: '"even = true"' });
    expect((await idx.getDocuments()).results.map((d) => d.id)).toEqual([3, 5, 7, 9]);
    const all = await idx.deleteAllDocuments().waitTask();
    expect(all.details).toEqual({ deletedDocuments: 4 });
    expect((await idx.getDocuments()).total).toBe(0);
  });

  it('fails a delete-by-filter task on a non-filterable attribute', async () => {
    const t = await client.index('movies').deleteDocuments({ filter: 'title = Carol' }).waitTask();
    expect(t.status).toBe('failed');
    expect(t.error?.code).toBe('invalid_document_filter');
  });
});

describe('search', () => {
  beforeAll(async () => {
    await client.index('books').addDocuments([
      { id: 1, title: 'The Hobbit', author: 'Tolkien' },
      { id: 2, title: 'Dune', author: 'Herbert' },
    ]).waitTask();
  });

  it('searches with POST and GET', async () => {
    const post = await client.index('books').search('hobbit');
    expect(post.hits.map((h) => h.id)).toEqual([1]);
    expect(post.query).toBe('hobbit');
    const get = await client.index('books').searchGet('dune');
    expect(get.hits.map((h) => h.id)).toEqual([2]);
  });

  it('validates the body: unknown field → bad_request, wrong type → invalid_search_*', async () => {
    const unknown = await apiError(client.index('books').search('x', { notAField: 1 } as never));
    expect(unknown).toMatchObject({ status: 400, code: 'bad_request' });
    expect(unknown.message).toMatch(/^Unknown field `notAField`: expected one of `q`/);
    const limit = await apiError(client.index('books').search('x', { limit: 'ten' } as never));
    expect(limit).toMatchObject({ status: 400, code: 'invalid_search_limit' });
    const strategy = await apiError(client.index('books').search('x', { matchingStrategy: 'most' } as never));
    expect(strategy.code).toBe('invalid_search_matching_strategy');
  });

  it('multi-searches with indexUid per result', async () => {
    const res = await client.multiSearch({ queries: [{ indexUid: 'books', q: 'hobbit' }, { indexUid: 'movies', q: 'moana' }] });
    expect(res.results.map((r) => r.indexUid)).toEqual(['books', 'movies']);
    expect(res.results[0]!.hits.map((h) => h.id)).toEqual([1]);
    const e = await apiError(client.multiSearch({ queries: [{ indexUid: 'books' }, { indexUid: 'ghost' }] }));
    expect(e).toMatchObject({ code: 'index_not_found' });
    expect(e.message).toContain('.queries[1]');
  });

  it('federates multi-search, annotating hits with _federation', async () => {
    const res = await client.multiSearch({
      federation: { limit: 5 },
      queries: [{ indexUid: 'books', q: 'dune' }, { indexUid: 'movies', q: 'carol' }],
    });
    const hits = (res as unknown as { hits: Array<Record<string, unknown>> }).hits;
    expect(hits.length).toBeGreaterThanOrEqual(2);
    for (const h of hits) expect(h._federation).toMatchObject({ indexUid: expect.any(String), queriesPosition: expect.any(Number) });
  });
});

describe('settings', () => {
  it('reads, patches and resets the whole settings object', async () => {
    const idx = client.index('settings_all');
    const t = await idx.updateSettings({ filterableAttributes: ['b', 'a'], rankingRules: ['words', 'typo', 'year:desc'] }).waitTask();
    expect(t.type).toBe('settingsUpdate');
    expect(t.status).toBe('succeeded');
    expect(t.details).toMatchObject({ filterableAttributes: ['b', 'a'] });
    const s = await idx.getSettings();
    expect(s.filterableAttributes).toEqual(['b', 'a']); // kept in the order given, as Meilisearch 1.50 does
    expect(s.rankingRules).toEqual(['words', 'typo', 'year:desc']);
    expect(s.typoTolerance?.minWordSizeForTypos).toEqual({ oneTypo: 5, twoTypos: 9 });
    await idx.resetSettings().waitTask();
    const r = await idx.getSettings();
    expect(r.filterableAttributes).toEqual([]);
    expect(r.rankingRules).toEqual(['words', 'typo', 'proximity', 'attributeRank', 'sort', 'wordPosition', 'exactness']);
  });

  it('supports every sub-route with its verb', async () => {
    const idx = client.index('settings_sub');
    const cases: Array<[string, () => Promise<unknown>, () => Promise<unknown>, unknown]> = [
      ['filterable', () => idx.updateFilterableAttributes(['genre']).waitTask(), () => idx.getFilterableAttributes(), ['genre']],
      ['sortable', () => idx.updateSortableAttributes(['year']).waitTask(), () => idx.getSortableAttributes(), ['year']],
      ['searchable', () => idx.updateSearchableAttributes(['title', 'body']).waitTask(), () => idx.getSearchableAttributes(), ['title', 'body']],
      ['displayed', () => idx.updateDisplayedAttributes(['title']).waitTask(), () => idx.getDisplayedAttributes(), ['title']],
      ['ranking', () => idx.updateRankingRules(['typo', 'words']).waitTask(), () => idx.getRankingRules(), ['typo', 'words']],
      ['synonyms', () => idx.updateSynonyms({ car: ['auto'] }).waitTask(), () => idx.getSynonyms(), { car: ['auto'] }],
      ['stop words', () => idx.updateStopWords(['the', 'a']).waitTask(), () => idx.getStopWords(), ['a', 'the']],
      ['distinct', () => idx.updateDistinctAttribute('sku').waitTask(), () => idx.getDistinctAttribute(), 'sku'],
      ['proximity', () => idx.updateProximityPrecision('byAttribute').waitTask(), () => idx.getProximityPrecision(), 'byAttribute'],
      ['separators', () => idx.updateSeparatorTokens(['|']).waitTask(), () => idx.getSeparatorTokens(), ['|']],
      ['non-separators', () => idx.updateNonSeparatorTokens(['@']).waitTask(), () => idx.getNonSeparatorTokens(), ['@']],
      ['dictionary', () => idx.updateDictionary(['J. R. R.']).waitTask(), () => idx.getDictionary(), ['J. R. R.']],
      ['cutoff', () => idx.updateSearchCutoffMs(150).waitTask(), () => idx.getSearchCutoffMs(), 150],
      ['pagination', () => idx.updatePagination({ maxTotalHits: 50 }).waitTask(), () => idx.getPagination(), { maxTotalHits: 50 }],
      [
        'faceting',
        () => idx.updateFaceting({ maxValuesPerFacet: 7 }).waitTask(),
        () => idx.getFaceting(),
        { maxValuesPerFacet: 7, sortFacetValuesBy: { '*': 'alpha' } },
      ],
      [
        'typo',
        () => idx.updateTypoTolerance({ minWordSizeForTypos: { oneTypo: 4 } }).waitTask(),
        async () => (await idx.getTypoTolerance())?.minWordSizeForTypos,
        { oneTypo: 4, twoTypos: 9 },
      ],
    ];
    for (const [name, update, get, expected] of cases) {
      const task = (await update()) as { status: string; error: unknown };
      expect({ name, status: task.status, error: task.error }).toEqual({ name, status: 'succeeded', error: null });
      expect({ name, value: await get() }).toEqual({ name, value: expected });
    }
    await idx.resetTypoTolerance().waitTask();
    expect((await idx.getTypoTolerance())?.minWordSizeForTypos).toEqual({ oneTypo: 5, twoTypos: 9 });
    await idx.resetFilterableAttributes().waitTask();
    expect(await idx.getFilterableAttributes()).toEqual([]);
    await idx.resetDistinctAttribute().waitTask();
    expect(await idx.getDistinctAttribute()).toBeNull();
  });

  it('validates settings with invalid_settings_* codes', async () => {
    const idx = client.index('settings_sub');
    const rules = await apiError(idx.updateRankingRules(['words', 'bogus']));
    expect(rules).toMatchObject({ status: 400, code: 'invalid_settings_ranking_rules' });
    const filt = await apiError(idx.updateSettings({ filterableAttributes: 'genre' as never }));
    expect(filt.code).toBe('invalid_settings_filterable_attributes');
    const unknown = await apiError(idx.updateSettings({ nope: 1 } as never));
    expect(unknown.code).toBe('bad_request');
    // Both bounds in the request: refused at once; one bound that contradicts the stored other: the task fails.
    const typo = await apiError(idx.updateTypoTolerance({ minWordSizeForTypos: { oneTypo: 10, twoTypos: 3 } }));
    expect(typo).toMatchObject({ status: 400, code: 'invalid_settings_typo_tolerance' });
    const late = await idx.updateTypoTolerance({ minWordSizeForTypos: { oneTypo: 10 } }).waitTask();
    expect(late.status).toBe('failed');
    expect(late.error?.code).toBe('invalid_settings_typo_tolerance');
  });
});

describe('stats', () => {
  it('reports index and global stats', async () => {
    const s = await client.index('movies').getStats();
    expect(s.numberOfDocuments).toBe(5);
    expect(s.isIndexing).toBe(false);
    expect(s.fieldDistribution).toMatchObject({ id: 5, title: 5, genre: 5 });
    const g = await client.getStats();
    expect(g.databaseSize).toBeGreaterThan(0);
    expect(g.indexes.movies?.numberOfDocuments).toBe(5);
    expect(typeof g.lastUpdate).toBe('string');
  });
});

describe('tasks', () => {
  it('lists newest first with filters, limit/from/next, and gets one', async () => {
    const all = await client.tasks.getTasks({ limit: 3 });
    expect(all.results).toHaveLength(3);
    expect(all.results[0]!.uid).toBeGreaterThan(all.results[1]!.uid);
    expect(all.limit).toBe(3);
    expect(all.from).toBe(all.results[0]!.uid);
    expect(all.next).toBe(all.results[2]!.uid - 1);
    const next = await client.tasks.getTasks({ limit: 3, from: all.next! });
    expect(next.results[0]!.uid).toBe(all.next);
    expect(next.total).toBe(all.total);

    const failed = await client.tasks.getTasks({ statuses: ['failed'], indexUids: ['pk_errors2'] });
    expect(failed.results.length).toBe(2);
    expect(failed.results.every((t) => t.status === 'failed' && t.indexUid === 'pk_errors2')).toBe(true);
    const byType = await client.tasks.getTasks({ types: ['indexCreation'], uids: [0, 1, 2] });
    expect(byType.results.every((t) => t.type === 'indexCreation')).toBe(true);

    const one = await client.tasks.getTask(0);
    expect(one).toMatchObject({ uid: 0, status: 'succeeded', type: 'indexCreation', canceledBy: null, error: null });
    expect(typeof one.duration).toBe('string');
    const missing = await apiError(client.tasks.getTask(999999));
    expect(missing).toMatchObject({ status: 404, code: 'task_not_found' });
    const badStatus = await apiError(client.tasks.getTasks({ statuses: ['nope' as never] }));
    expect(badStatus.code).toBe('invalid_task_statuses');
  });
});
