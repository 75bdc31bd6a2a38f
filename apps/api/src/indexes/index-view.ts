import type { IndexRecord } from '@miroir/store';

/** An index as Meilisearch shows it (GET /indexes, GET /indexes/{uid}). */
export interface IndexView {
  uid: string;
  createdAt: string;
  updatedAt: string;
  primaryKey: string | null;
}

export function indexView(r: IndexRecord): IndexView {
  return { uid: r.uid, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(), primaryKey: r.primaryKey };
}
