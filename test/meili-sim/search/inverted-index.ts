// Positional inverted index: word id -> postings. A posting is laid out flat in one Int32Array per
// word as [docId, version, count, pos_1 .. pos_count] where pos = fieldIdx << 16 | position.
// Replacing or deleting a document does not touch the postings: its version is bumped and stale
// postings are skipped at read time, then compacted once they make up half of a word's list. This
// keeps upserts O(document size) even for words present in most documents.

export const POSITION_BITS = 16;
export const POSITION_MASK = (1 << POSITION_BITS) - 1;

export function packPosition(field: number, position: number): number {
  return (field << POSITION_BITS) | Math.min(position, POSITION_MASK);
}

export interface PostingList {
  data: Int32Array;
  length: number;
  /** Number of stale postings (for compaction). */
  stale: number;
  /** Number of live postings (the word's document frequency). */
  live: number;
}

export class InvertedIndex {
  private lists: (PostingList | undefined)[] = [];

  constructor(private readonly isLive: (docId: number, version: number) => boolean) {}

  list(wordId: number): PostingList | undefined {
    return this.lists[wordId];
  }

  clear(): void {
    this.lists = [];
  }

  append(wordId: number, docId: number, version: number, positions: ArrayLike<number>, from: number, count: number): void {
    let list = this.lists[wordId];
    if (list === undefined) {
      list = { data: new Int32Array(Math.max(8, count + 3)), length: 0, stale: 0, live: 0 };
      this.lists[wordId] = list;
    }
    const need = list.length + 3 + count;
    if (need > list.data.length) {
      const grown = new Int32Array(Math.max(need, list.data.length * 2));
      grown.set(list.data.subarray(0, list.length));
      list.data = grown;
    }
    const d = list.data;
    let o = list.length;
    d[o++] = docId;
    d[o++] = version;
    d[o++] = count;
    for (let i = 0; i < count; i++) d[o++] = positions[from + i]!;
    list.length = o;
    list.live++;
  }

  /** A document holding `wordId` was removed or replaced: one of the word's postings went stale. */
  markStale(wordId: number): void {
    const list = this.lists[wordId];
    if (list === undefined) return;
    list.stale++;
    list.live--;
    if (list.stale > 16 && list.stale > list.live) this.compact(list);
  }

  private compact(list: PostingList): void {
    const d = list.data;
    let w = 0;
    for (let r = 0; r < list.length; ) {
      const count = d[r + 2]!;
      const size = 3 + count;
      if (this.isLive(d[r]!, d[r + 1]!)) {
        if (w !== r) d.copyWithin(w, r, r + size);
        w += size;
      }
      r += size;
    }
    list.length = w;
    list.stale = 0;
  }
}
