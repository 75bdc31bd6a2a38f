// Snapshot = the whole state at one WAL position, as NDJSON lines (so neither writing nor reading
// needs one giant string). Written to a temp file, fsynced, then renamed over the previous one:
// a crash at any point leaves either the old or the new snapshot, never a partial one.
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Doc, IndexSettings } from '../search/types';
import type { ExtraSettings, KeyRecord, TaskRecord } from '../model';
import { fsyncDir } from './wal';

export const SNAPSHOT_FILE = 'snapshot.ndjson';

export interface SnapshotIndex {
  uid: string;
  primaryKey: string | null;
  createdAt: string;
  updatedAt: string;
  settings: IndexSettings;
  extra: ExtraSettings;
}

export type SnapshotLine =
  | { k: 'head'; version: 1; lsn: number; nextTaskUid: number; nextBatchUid: number }
  | { k: 'key'; key: KeyRecord }
  | { k: 'index'; index: SnapshotIndex }
  | { k: 'docs'; i: string; d: Array<[string, Doc]> }
  | { k: 'task'; task: TaskRecord };

/** Source of lines; may be async so a large snapshot yields to the event loop between chunks. */
export type SnapshotSource = AsyncIterable<SnapshotLine>;

export async function writeSnapshot(dir: string, lines: SnapshotSource): Promise<void> {
  const tmp = join(dir, `${SNAPSHOT_FILE}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    let chunk: string[] = [];
    let size = 0;
    for await (const line of lines) {
      const s = JSON.stringify(line);
      chunk.push(s);
      size += s.length + 1;
      if (size > 4 * 1024 * 1024) {
        await fh.write(chunk.join('\n') + '\n');
        chunk = [];
        size = 0;
      }
    }
    if (chunk.length > 0) await fh.write(chunk.join('\n') + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
  renameSync(tmp, join(dir, SNAPSHOT_FILE));
  fsyncDir(dir);
}

/** Calls `onLine` for every line of the snapshot; returns false when there is none. */
export function readSnapshot(dir: string, onLine: (line: SnapshotLine) => void): boolean {
  const file = join(dir, SNAPSHOT_FILE);
  if (!existsSync(file)) return false;
  const buf = readFileSync(file);
  let start = 0;
  while (start < buf.length) {
    let nl = buf.indexOf(0x0a, start);
    if (nl < 0) nl = buf.length;
    if (nl > start) onLine(JSON.parse(buf.toString('utf8', start, nl)) as SnapshotLine);
    start = nl + 1;
  }
  return true;
}
