// The index's vocabulary: normalised word <-> dense id, plus a lexicographically sorted view that
// serves as an implicit trie. Prefix expansion is a binary-searched range; typo candidates come from
// a bounded Damerau-Levenshtein walk over that trie, so a query never scans the whole vocabulary.

export class Vocabulary {
  private readonly ids = new Map<string, number>();
  readonly words: string[] = [];
  /** Word ids sorted by word (UTF-16 order: any consistent order keeps prefixes contiguous). */
  private sorted: number[] = [];
  private unsorted: number[] = [];

  get size(): number {
    return this.words.length;
  }

  idOf(word: string): number | undefined {
    return this.ids.get(word);
  }

  intern(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.words.push(word);
      this.ids.set(word, id);
      this.unsorted.push(id);
    }
    return id;
  }

  clear(): void {
    this.ids.clear();
    this.words.length = 0;
    this.sorted = [];
    this.unsorted = [];
  }

  /** Merges words added since the last query into the sorted view (sort the new ones, then merge). */
  private view(): number[] {
    if (this.unsorted.length === 0) return this.sorted;
    const w = this.words;
    const fresh = this.unsorted.sort((a, b) => (w[a]! < w[b]! ? -1 : 1));
    this.unsorted = [];
    if (this.sorted.length === 0) {
      this.sorted = fresh;
      return fresh;
    }
    const old = this.sorted;
    const merged = new Array<number>(old.length + fresh.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < old.length && j < fresh.length) merged[k++] = w[old[i]!]! < w[fresh[j]!]! ? old[i++]! : fresh[j++]!;
    while (i < old.length) merged[k++] = old[i++]!;
    while (j < fresh.length) merged[k++] = fresh[j++]!;
    this.sorted = merged;
    return merged;
  }

  /** Every word starting with `prefix` (including `prefix` itself). */
  forEachWithPrefix(prefix: string, fn: (id: number) => void): void {
    const s = this.view();
    const w = this.words;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (w[s[mid]!]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < s.length && w[s[i]!]!.startsWith(prefix); i++) fn(s[i]!);
  }

  /**
   * Words within `maxTypos` of `query` as Meilisearch counts them: Damerau-Levenshtein (adjacent
   * transpositions cost 1) where a different first letter costs one extra typo. With `prefix`, the
   * distance is to the closest prefix of the word (the last query word matches as a prefix).
   * Calls `fn(id, typos)` with typos >= 1 only; exact and zero-typo prefix matches are the caller's.
   */
  forEachTypo(query: string, maxTypos: number, prefix: boolean, fn: (id: number, typos: number) => void): void {
    if (maxTypos <= 0 || query.length === 0) return;
    const s = this.view();
    const w = this.words;
    const q = query;
    const n = q.length;
    const row0 = new Array<number>(n + 1);
    for (let j = 0; j <= n; j++) row0[j] = j;

    const emitRange = (lo: number, hi: number, typos: number): void => {
      for (let i = lo; i < hi; i++) fn(s[i]!, typos);
    };

    // Node = words s[lo..hi) sharing the first `depth` chars; `row` = distances for that prefix.
    // `budget` is the edit distance still allowed in this subtree and `penalty` the extra typo
    // charged when the first letter differs (so a 1-typo word must keep its first letter).
    const visit = (lo: number, hi: number, depth: number, row: number[], prevRow: number[] | null, prevChar: number, budget: number, penalty: number, best: number): void => {
      let i = lo;
      // A word equal to the node's prefix sorts first.
      if (i < hi && w[s[i]!]!.length === depth) i++;
      while (i < hi) {
        const c = w[s[i]!]!.charCodeAt(depth);
        // End of the run of words with char `c` at `depth` (monotonic within the node).
        let a = i + 1;
        let b = hi;
        while (a < b) {
          const mid = (a + b) >> 1;
          if (w[s[mid]!]!.charCodeAt(depth) <= c) a = mid + 1;
          else b = mid;
        }
        const end = a;
        let childPenalty = penalty;
        let childBudget = budget;
        if (depth === 0 && c !== q.charCodeAt(0)) {
          childPenalty = 1;
          childBudget = budget - 1;
        }
        if (childBudget >= 1 || (childBudget === 0 && childPenalty === 0)) {
          const next = new Array<number>(n + 1);
          next[0] = depth + 1;
          let min = next[0];
          for (let j = 1; j <= n; j++) {
            const cost = q.charCodeAt(j - 1) === c ? 0 : 1;
            let v = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + cost);
            if (prevRow !== null && j >= 2 && c === q.charCodeAt(j - 2) && prevChar === q.charCodeAt(j - 1)) {
              v = Math.min(v, prevRow[j - 2]! + 1);
            }
            next[j] = v;
            if (v < min) min = v;
          }
          if (min <= childBudget) {
            const dist = next[n]!;
            const isWord = w[s[i]!]!.length === depth + 1;
            if (prefix) {
              const nb = Math.min(best, dist);
              if (nb <= childBudget && min >= nb) {
                // Nothing deeper can do better: the whole subtree matches with `nb` typos.
                if (nb + childPenalty > 0) emitRange(i, end, nb + childPenalty);
              } else {
                if (nb <= childBudget && isWord && nb + childPenalty > 0) fn(s[i]!, nb + childPenalty);
                visit(i, end, depth + 1, next, row, c, childBudget, childPenalty, nb);
              }
            } else {
              if (dist <= childBudget && isWord && dist + childPenalty > 0) fn(s[i]!, dist + childPenalty);
              visit(i, end, depth + 1, next, row, c, childBudget, childPenalty, best);
            }
          }
        }
        i = end;
      }
    };
    visit(0, s.length, 0, row0, null, -1, maxTypos, 0, Number.POSITIVE_INFINITY);
  }
}
