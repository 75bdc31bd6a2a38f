// The node's data model: what lives in memory, what is written to the write-ahead log and what the
// snapshot holds. Everything here is plain JSON so the WAL and snapshot can serialize it directly.
import type { Doc, IndexSettings, SearchEngine } from './search/types';

export type TaskStatus = 'enqueued' | 'processing' | 'succeeded' | 'failed' | 'canceled';
export const TASK_STATUSES: readonly TaskStatus[] = ['enqueued', 'processing', 'succeeded', 'failed', 'canceled'];

export type TaskType =
  | 'documentAdditionOrUpdate'
  | 'documentDeletion'
  | 'documentEdition'
  | 'settingsUpdate'
  | 'indexCreation'
  | 'indexUpdate'
  | 'indexDeletion'
  | 'indexSwap'
  | 'taskCancelation'
  | 'taskDeletion'
  | 'dumpCreation'
  | 'snapshotCreation'
  | 'upgradeDatabase';
export const TASK_TYPES: readonly TaskType[] = [
  'documentAdditionOrUpdate',
  'documentDeletion',
  'documentEdition',
  'settingsUpdate',
  'indexCreation',
  'indexUpdate',
  'indexDeletion',
  'indexSwap',
  'taskCancelation',
  'taskDeletion',
  'dumpCreation',
  'snapshotCreation',
  'upgradeDatabase',
];

export interface ErrorObject {
  message: string;
  code: string;
  type: string;
  link: string;
}

/** Partial settings as sent by a client: a field set to null means "reset to default". */
export type SettingsPatch = { [K in keyof IndexSettings]?: IndexSettings[K] | null } & {
  [extra: string]: unknown;
};

/** What a task has to do; kept until the task is processed (and in the WAL forever after). */
export type TaskPayload =
  | { kind: 'documents'; method: 'replace' | 'update'; documents: Doc[]; primaryKey: string | null; skipCreation?: boolean }
  | { kind: 'deleteIds'; ids: string[] }
  | { kind: 'deleteFilter'; filter: unknown }
  | { kind: 'clear' }
  | { kind: 'settings'; patch: SettingsPatch }
  | { kind: 'createIndex'; primaryKey: string | null }
  | { kind: 'updateIndex'; primaryKey: string | null }
  | { kind: 'deleteIndex' };

export interface TaskRecord {
  uid: number;
  batchUid: number | null;
  indexUid: string | null;
  status: TaskStatus;
  type: TaskType;
  canceledBy: number | null;
  details: Record<string, unknown> | null;
  error: ErrorObject | null;
  enqueuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Dropped from memory once processed; replay reads it back from the WAL. */
  payload?: TaskPayload;
}

/** Non-engine settings Meilisearch reports that the engine does not use; stored and echoed. */
export interface ExtraSettings {
  facetSearch: boolean;
  prefixSearch: 'indexingTime' | 'disabled';
  localizedAttributes: unknown[] | null;
  embedders: Record<string, unknown>;
}

export interface IndexState {
  uid: string;
  primaryKey: string | null;
  createdAt: string;
  updatedAt: string;
  /** Insertion-ordered: the "internal order" document listings paginate over. */
  docs: Map<string, Doc>;
  settings: IndexSettings;
  extra: ExtraSettings;
  engine: SearchEngine;
  /** Top-level field name → number of documents containing it (for stats.fieldDistribution). */
  fieldCounts: Map<string, number>;
  /** Approximate byte size of stored documents (for stats). */
  docBytes: number;
}

export interface KeyRecord {
  uid: string;
  name: string | null;
  description: string | null;
  actions: string[];
  indexes: string[];
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One line of the write-ahead log. `lsn` orders records and lets replay skip what a snapshot holds. */
export type WalRecord =
  | { t: 'enq'; lsn: number; task: TaskRecord }
  | {
      t: 'done';
      lsn: number;
      uid: number;
      batchUid: number;
      /** `canceled`: a taskCancelation canceled it before it ran (`canceledBy` names that task). */
      status: 'succeeded' | 'failed' | 'canceled';
      canceledBy?: number;
      details: Record<string, unknown> | null;
      error: ErrorObject | null;
      startedAt: string;
      finishedAt: string;
    }
  | { t: 'keyPut'; lsn: number; key: KeyRecord }
  | { t: 'keyDel'; lsn: number; uid: string };

/** Distributive Omit so each WAL variant keeps its own fields. */
export type WalRecordInput = WalRecord extends infer R ? (R extends WalRecord ? Omit<R, 'lsn'> : never) : never;
