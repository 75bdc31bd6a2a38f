import type { IndexRecord, TaskRecord } from '@miroir/store';

/**
 * What the write path needs from index lifecycle (implemented by IndexLifecycleService in
 * ./index-lifecycle.service.ts, provided by IndexesModule under this token).
 */
export const INDEX_LIFECYCLE = Symbol('INDEX_LIFECYCLE');

export interface IndexLifecycle {
  /**
   * Meilisearch creates an index implicitly on the first document write. Returns the index,
   * creating it across every node first (and waiting for that) when it does not exist yet.
   */
  ensureExists(uid: string, primaryKey: string | null): Promise<IndexRecord>;
  /** Sets the primary key of an index that has none yet (first write with ?primaryKey= or inferred). */
  setPrimaryKey(uid: string, primaryKey: string): Promise<IndexRecord>;
  /** POST /indexes: starts the indexLifecycle workflow and returns its Miroir task. */
  create(uid: string, primaryKey: string | null): Promise<TaskRecord>;
}
