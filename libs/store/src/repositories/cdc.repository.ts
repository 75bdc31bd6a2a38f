import type { EntityManager } from 'typeorm';

export interface NewCdcEvent {
  indexUid: string;
  /** The client operation: `documentAdditionOrUpdate`, `documentDeletion`, … */
  operation: string;
  primaryKeys: string[];
  shardIds: number[];
  settingsVersion: number;
  taskUid: number | null;
  internal?: boolean;
  documents?: unknown[] | null;
}

/** Appends one event to the CDC outbox (SPEC §12); call inside the transaction recording its task. */
export async function appendCdcEvent(tx: EntityManager, e: NewCdcEvent): Promise<void> {
  await tx.query(
    `INSERT INTO cdc_outbox (index_uid, operation, primary_keys, shard_ids, settings_version, task_uid, internal, documents)
     VALUES ($1, $2, $3::jsonb, $4::int[], $5, $6, $7, $8::jsonb)`,
    [
      e.indexUid,
      e.operation,
      JSON.stringify(e.primaryKeys),
      e.shardIds,
      e.settingsVersion,
      e.taskUid,
      e.internal ?? false,
      e.documents == null ? null : JSON.stringify(e.documents),
    ],
  );
}
