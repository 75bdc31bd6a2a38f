import type { EntityManager } from 'typeorm';

/**
 * CDC `operation` values of client document writes: two that write documents, three that delete,
 * and an edit by function (its documents are known only to the nodes: the event carries its filter).
 */
export const CDC_UPSERTS = ['addOrReplace', 'addOrUpdate'] as const;
export const CDC_DELETIONS = ['deleteByIds', 'deleteByFilter', 'deleteAll'] as const;
export const CDC_EDITS = ['editByFunction'] as const;
export type CdcOperation = (typeof CDC_UPSERTS)[number] | (typeof CDC_DELETIONS)[number] | (typeof CDC_EDITS)[number];

export interface NewCdcEvent {
  indexUid: string;
  operation: CdcOperation;
  primaryKeys: string[];
  shardIds: number[];
  settingsVersion: number;
  taskUid: number | null;
  internal?: boolean;
  documents?: unknown[] | null;
  /** The filter of a delete by filter or an edit by function. */
  filter?: unknown;
  /** When the write began, ms since the epoch (the stamp of its documents); default: commit time. */
  at?: number;
}

/** Appends one event to the CDC outbox (docs/design.md#task-and-outbox); call inside the transaction recording its task. */
export async function appendCdcEvent(tx: EntityManager, e: NewCdcEvent): Promise<void> {
  await tx.query(
    `INSERT INTO cdc_outbox (index_uid, operation, primary_keys, shard_ids, settings_version, task_uid, internal, documents, filter, created_at)
     VALUES ($1, $2, $3::jsonb, $4::int[], $5, $6, $7, $8::jsonb, $9, COALESCE(to_timestamp($10::double precision / 1000), now()))`,
    [
      e.indexUid,
      e.operation,
      JSON.stringify(e.primaryKeys),
      e.shardIds,
      e.settingsVersion,
      e.taskUid,
      e.internal ?? false,
      e.documents == null ? null : JSON.stringify(e.documents),
      e.filter === undefined ? null : JSON.stringify(e.filter),
      e.at ?? null,
    ],
  );
}
