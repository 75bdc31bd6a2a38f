import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes used by the files directly in a directory (the node keeps its data flat). */
export function dirSize(dir: string): number {
  let total = 0;
  try {
    for (const f of readdirSync(dir)) {
      try {
        total += statSync(join(dir, f)).size;
      } catch {
        // removed while listing (compaction)
      }
    }
  } catch {
    return 0;
  }
  return total;
}
