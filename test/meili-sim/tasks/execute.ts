// Applies one task to the in-memory state. Deterministic given the prior state and the task's
// start time, so WAL replay re-executes processed tasks and lands on the same state. Every check
// runs before the first mutation: a task that throws leaves the state untouched (Meilisearch's
// failed tasks have no effect).
import { compileDocumentFilter } from '../documents/filter';
import { documentId, inferPrimaryKey } from '../documents/ids';
import { createSearchEngine } from '../engine';
import { errors } from '../error-catalog';
import { SimError } from '../errors';
import type { IndexState, TaskPayload, TaskRecord } from '../model';
import type { Doc } from '../search/types';
import { applyPatch, defaultExtra, defaultSettings } from '../settings/settings';

export interface ExecContext {
  indexes: Map<string, IndexState>;
  /** The task's startedAt; used for createdAt/updatedAt so replay reproduces them. */
  now: string;
}

export function newIndex(uid: string, primaryKey: string | null, now: string): IndexState {
  const settings = defaultSettings();
  return {
    uid,
    primaryKey,
    createdAt: now,
    updatedAt: now,
    docs: new Map(),
    settings,
    extra: defaultExtra(),
    engine: createSearchEngine(settings),
    fieldCounts: new Map(),
    docBytes: 0,
  };
}

function requireIndex(ctx: ExecContext, uid: string): IndexState {
  const idx = ctx.indexes.get(uid);
  if (!idx) throw errors.indexNotFound(uid);
  return idx;
}

const docSize = (doc: Doc): number => JSON.stringify(doc).length;

export function putDocument(idx: IndexState, id: string, doc: Doc): void {
  const prev = idx.docs.get(id);
  if (prev) dropDocStats(idx, prev);
  idx.docs.set(id, doc);
  for (const k of Object.keys(doc)) idx.fieldCounts.set(k, (idx.fieldCounts.get(k) ?? 0) + 1);
  idx.docBytes += docSize(doc);
  idx.engine.upsert(id, doc);
}

function removeDocument(idx: IndexState, id: string): boolean {
  const prev = idx.docs.get(id);
  if (!prev) return false;
  dropDocStats(idx, prev);
  idx.docs.delete(id);
  idx.engine.remove(id);
  return true;
}

function dropDocStats(idx: IndexState, doc: Doc): void {
  for (const k of Object.keys(doc)) {
    const n = (idx.fieldCounts.get(k) ?? 0) - 1;
    if (n <= 0) idx.fieldCounts.delete(k);
    else idx.fieldCounts.set(k, n);
  }
  idx.docBytes -= docSize(doc);
}

/** Returns the task's final details; throws SimError to fail the task. */
export function executeTask(ctx: ExecContext, task: TaskRecord, payload: TaskPayload): Record<string, unknown> | null {
  const uid = task.indexUid ?? '';
  switch (payload.kind) {
    case 'documents': {
      // The one exception to "a failed task has no effect": Meilisearch creates a missing index
      // before it reads the documents, so the index stays (without a primary key) even when the
      // addition then fails (no id candidate, invalid id, …).
      let idx = ctx.indexes.get(uid);
      if (!idx) {
        idx = newIndex(uid, null, ctx.now);
        ctx.indexes.set(uid, idx);
      }
      let pk = idx.primaryKey;
      if (pk !== null && payload.primaryKey !== null && payload.primaryKey !== pk) {
        throw new SimError('index_primary_key_already_exists', `Index already has a primary key: \`${pk}\`.`);
      }
      if (pk === null && payload.documents.length > 0) pk = payload.primaryKey ?? inferPrimaryKey(payload.documents[0]!);
      const ids = pk === null ? [] : payload.documents.map((d) => documentId(d, pk!));
      if (idx.primaryKey === null) idx.primaryKey = pk ?? payload.primaryKey;
      payload.documents.forEach((doc, i) => {
        const id = ids[i]!;
        // `skipCreation`: only documents that exist already are written (still counted as indexed).
        if (payload.skipCreation && !idx.docs.has(id)) return;
        if (payload.method === 'update') {
          const prev = idx.docs.get(id);
          putDocument(idx, id, prev ? { ...prev, ...doc } : doc);
        } else putDocument(idx, id, doc);
      });
      idx.updatedAt = ctx.now;
      return { receivedDocuments: payload.documents.length, indexedDocuments: payload.documents.length };
    }
    case 'deleteIds': {
      const idx = requireIndex(ctx, uid);
      let deleted = 0;
      for (const id of payload.ids) if (removeDocument(idx, id)) deleted++;
      idx.updatedAt = ctx.now;
      return { providedIds: payload.ids.length, deletedDocuments: deleted, originalFilter: null };
    }
    case 'deleteFilter': {
      const idx = requireIndex(ctx, uid);
      let pred: ReturnType<typeof compileDocumentFilter>;
      try {
        pred = compileDocumentFilter(payload.filter, idx.settings.filterableAttributes);
      } catch (err) {
        throw withIndexPrefix(uid, err);
      }
      const victims = [...idx.docs].filter(([, d]) => pred === null || pred(d)).map(([id]) => id);
      for (const id of victims) removeDocument(idx, id);
      idx.updatedAt = ctx.now;
      return { providedIds: 0, originalFilter: JSON.stringify(payload.filter), deletedDocuments: victims.length };
    }
    case 'clear': {
      const idx = requireIndex(ctx, uid);
      const n = idx.docs.size;
      idx.docs.clear();
      idx.fieldCounts.clear();
      idx.docBytes = 0;
      idx.engine.clear();
      idx.updatedAt = ctx.now;
      return { deletedDocuments: n };
    }
    case 'settings': {
      const existing = ctx.indexes.get(uid);
      const base = existing ?? newIndex(uid, null, ctx.now);
      let next: ReturnType<typeof applyPatch>;
      try {
        next = applyPatch(base.settings, base.extra, payload.patch);
      } catch (err) {
        // A settings task's errors name the index.
        if (err instanceof SimError) throw new SimError(err.code, `Index \`${uid}\`: ${err.message}`, err.status, err.type);
        throw err;
      }
      if (!existing) ctx.indexes.set(uid, base);
      base.settings = next.settings;
      base.extra = next.extra;
      base.engine.applySettings(next.settings);
      base.updatedAt = ctx.now;
      return task.details;
    }
    case 'createIndex': {
      if (ctx.indexes.has(uid)) throw errors.indexAlreadyExists(uid);
      ctx.indexes.set(uid, newIndex(uid, payload.primaryKey, ctx.now));
      return { primaryKey: payload.primaryKey };
    }
    case 'updateIndex': {
      const idx = requireIndex(ctx, uid);
      if (payload.primaryKey !== null && payload.primaryKey !== idx.primaryKey) {
        if (idx.docs.size > 0 && idx.primaryKey !== null) {
          throw new SimError('index_primary_key_already_exists', `Index \`${uid}\`: Index already has a primary key: \`${idx.primaryKey}\`.`);
        }
        idx.primaryKey = payload.primaryKey;
      }
      idx.updatedAt = ctx.now;
      return { primaryKey: payload.primaryKey };
    }
    case 'deleteIndex': {
      const idx = requireIndex(ctx, uid);
      ctx.indexes.delete(uid);
      return { deletedDocuments: idx.docs.size };
    }
  }
}

/**
 * Meilisearch names the index in errors about an attribute's capabilities ("Index `movies`:
 * Attribute `title` is not filterable…"), not in syntax errors.
 */
export function withIndexPrefix(uid: string, err: unknown): unknown {
  if (err instanceof SimError && err.message.startsWith('Attribute `')) return new SimError(err.code, `Index \`${uid}\`: ${err.message}`, err.status, err.type);
  return err;
}

/** Details reported for a failed task (counts that were never reached are 0). */
export function failedDetails(task: TaskRecord): Record<string, unknown> | null {
  if (!task.details) return null;
  const d = { ...task.details };
  if ('indexedDocuments' in d) d.indexedDocuments = 0;
  if ('deletedDocuments' in d) d.deletedDocuments = 0;
  return d;
}
