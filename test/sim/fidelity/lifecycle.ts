// An ordered sequence of writes on a scratch index (index create/get/list/update/delete, document
// writes that succeed and fail, settings updates, task listing). Steps run in order on both nodes;
// for a 202 the finished task is compared too (type, status, details, error — not uids or times).
import type { RawRequest } from './compare';
import { STORAGE_SIZES } from './raw-cases';

export interface Step {
  name: string;
  req: RawRequest;
  /** Extra keys to ignore in this step's comparison. */
  ignore?: string[];
  messages?: boolean;
  known?: string;
}

const L = (name: string, req: RawRequest, extra: Partial<Step> = {}): Step => ({ name, req, ...extra });
const docs = (body: unknown, method: 'POST' | 'PUT' = 'POST', index = 'life'): RawRequest => ({ method, path: `/indexes/${index}/documents`, body });

export const LIFECYCLE: Step[] = [
  L('create index', { method: 'POST', path: '/indexes', body: { uid: 'life', primaryKey: 'sku' } }),
  L('create it again', { method: 'POST', path: '/indexes', body: { uid: 'life' } }),
  L('get index', { path: '/indexes/life' }),
  L('add documents', docs([{ sku: 'a', n: 1, tags: ['x'] }, { sku: 'b', n: 2 }, { sku: 'c', n: 3, nested: { deep: { v: 1 } } }])),
  L('update documents (merge)', docs([{ sku: 'a', extra: true }, { sku: 'd', n: 4 }], 'PUT')),
  L('replace a document', docs([{ sku: 'b', n: 20 }])),
  L('list documents', { path: '/indexes/life/documents' }),
  L('document without the primary key', docs([{ n: 5 }])),
  L('invalid document id', docs([{ sku: 'bad id!', n: 6 }])),
  L('document with two candidate ids', docs([{ id: 1, uid: 2 }], 'POST', 'life_nopk')),
  L('document without an id candidate', docs([{ title: 'x' }], 'POST', 'life_nopk2')),
  L('primary key query parameter mismatch', { method: 'POST', path: '/indexes/life/documents?primaryKey=n', body: [{ sku: 'e', n: 5 }] }),
  L('settings update', { method: 'PATCH', path: '/indexes/life/settings', body: { filterableAttributes: ['n'], sortableAttributes: ['n'], stopWords: ['x'] } }),
  L('settings after update', { path: '/indexes/life/settings' }),
  L('settings reset one', { method: 'DELETE', path: '/indexes/life/settings/stop-words' }),
  L('typo tolerance inverted bounds', { method: 'PATCH', path: '/indexes/life/settings/typo-tolerance', body: { minWordSizeForTypos: { oneTypo: 9, twoTypos: 5 } } }),
  L('typo tolerance bound contradicting the stored one', { method: 'PATCH', path: '/indexes/life/settings/typo-tolerance', body: { minWordSizeForTypos: { oneTypo: 10 } } }),
  L('filter on a now-filterable field', { method: 'POST', path: '/indexes/life/documents/fetch', body: { filter: 'n >= 3' } }),
  L('change primary key with documents', { method: 'PATCH', path: '/indexes/life', body: { primaryKey: 'n' } }),
  L('delete one document', { method: 'DELETE', path: '/indexes/life/documents/c' }),
  L('delete a batch', { method: 'POST', path: '/indexes/life/documents/delete-batch', body: ['a', 'zz'] }),
  L('delete by filter', { method: 'POST', path: '/indexes/life/documents/delete', body: { filter: 'n = 4' } }),
  L('delete by filter on a non-filterable field', { method: 'POST', path: '/indexes/life/documents/delete', body: { filter: 'sku = b' } }),
  L('stats', { path: '/indexes/life/stats' }, { ignore: STORAGE_SIZES }),
  L('delete all documents', { method: 'DELETE', path: '/indexes/life/documents' }),
  L('change primary key when empty', { method: 'PATCH', path: '/indexes/life', body: { primaryKey: 'n' } }),
  L('index after update', { path: '/indexes/life' }),
  L('list indexes', { path: '/indexes?limit=3' }),
  L('list indexes offset', { path: '/indexes?offset=1&limit=2' }),
  L('delete the index', { method: 'DELETE', path: '/indexes/life' }),
  L('delete an unknown index', { method: 'DELETE', path: '/indexes/life_gone' }),
  L('update an unknown index', { method: 'PATCH', path: '/indexes/life_gone', body: { primaryKey: 'x' } }),
  L('tasks of the index', { path: '/tasks?indexUids=life,life_nopk,life_nopk2,life_gone&limit=100' }, { ignore: ['from', 'next'] }),
  L('failed tasks by type', { path: '/tasks?indexUids=life,life_nopk,life_nopk2,life_gone&statuses=failed&types=documentAdditionOrUpdate' }, { ignore: ['from', 'next'] }),
];
