import type { DataSource, EntityManager } from 'typeorm';
import { IndexRecord } from '../entities/index-record.entity';
import { CHANNELS } from '../notifications';

export async function loadIndexes(ds: DataSource): Promise<IndexRecord[]> {
  return ds.getRepository(IndexRecord).find({ order: { uid: 'ASC' } });
}

/** Notifies API pods that index metadata changed; call inside the changing transaction. */
export async function notifyIndexesChanged(tx: EntityManager, uid: string): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [CHANNELS.indexes, uid]);
}
