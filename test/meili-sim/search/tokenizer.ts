// Tokenising as Meilisearch's charabia does it, close enough for ranking fidelity: words are runs of
// letters/digits (scripts written without spaces go through Intl.Segmenter), normalised by
// lowercasing and folding accents (NFKD, combining marks stripped). Word positions follow milli's
// `process_tokens`: +1 after a soft separator, +8 after a hard one, so that proximity between words
// of different sentences is "far". Stop words keep their position but are flagged.

export interface TokenizerConfig {
  stopWords: ReadonlySet<string>;
  /** Extra separator strings (settings.separatorTokens). */
  separatorTokens: readonly string[];
  /** Strings that are part of words rather than separators (settings.nonSeparatorTokens). */
  nonSeparatorTokens: readonly string[];
  /** Strings always kept as one word (settings.dictionary). */
  dictionary: readonly string[];
}

export interface Token {
  /** Normalised form (lowercase, accents folded). */
  word: string;
  /** UTF-16 offsets of the token in the original text. */
  start: number;
  end: number;
  position: number;
  stop: boolean;
}

/** Distance added between two words separated by a hard separator (milli's process_tokens). */
export const HARD_SEPARATOR_GAP = 8;

// charabia's classification: these break sentences (hard), every other non-word char is soft.
const HARD_SEPARATORS = new Set(['.', ';', ',', '!', '?', '(', ')', '[', ']', '{', '}', '|', '。', '！', '？', '；', '，', '、']);

// Scripts written without spaces between words: only these need a dictionary segmenter.
const NEEDS_SEGMENTER = /[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]/;

const COMBINING_MARKS = /\p{M}/gu;

let segmenter: Intl.Segmenter | undefined;
function wordSegmenter(): Intl.Segmenter {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' });
  return segmenter;
}

/** Lowercase + accent folding; ASCII text (the common case) takes the fast path. */
export function normalizeWord(word: string): string {
  for (let i = 0; i < word.length; i++) {
    if (word.charCodeAt(i) > 127) {
      return word.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().normalize('NFC');
    }
  }
  return word.toLowerCase();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export class Tokenizer {
  private readonly wordRe: RegExp;
  private readonly separatorSplit: RegExp | null;

  constructor(readonly config: TokenizerConfig) {
    const extraWordChars = config.nonSeparatorTokens.filter((t) => t.length > 0).map(escapeRegExp);
    const dict = [...config.dictionary].filter((d) => d.length > 0).sort((a, b) => b.length - a.length).map(escapeRegExp);
    const wordRun = `(?:[\\p{L}\\p{N}\\p{M}]${extraWordChars.length > 0 ? '|' + extraWordChars.join('|') : ''})+`;
    this.wordRe = new RegExp(dict.length > 0 ? `${dict.join('|')}|${wordRun}` : wordRun, 'giu');
    const seps = config.separatorTokens.filter((t) => t.length > 0).map(escapeRegExp);
    this.separatorSplit = seps.length > 0 ? new RegExp(seps.join('|'), 'gu') : null;
  }

  /**
   * Tokens of `text`, positions starting at `startPosition`. Returns the position the next value of
   * the same attribute should start at (array elements are separated like sentences).
   */
  tokenize(text: string, out: Token[], startPosition = 0): number {
    let position = startPosition;
    let first = true;
    let lastEnd = 0;
    const push = (raw: string, start: number): void => {
      const end = start + raw.length;
      if (!first) {
        position += this.isHardGap(text, lastEnd, start) ? HARD_SEPARATOR_GAP : 1;
      }
      first = false;
      lastEnd = end;
      const word = normalizeWord(raw);
      out.push({ word, start, end, position, stop: this.config.stopWords.has(word) });
    };
    const emit = (raw: string, start: number): void => {
      if (this.separatorSplit === null) return push(raw, start);
      this.separatorSplit.lastIndex = 0;
      let from = 0;
      for (let m = this.separatorSplit.exec(raw); m !== null; m = this.separatorSplit.exec(raw)) {
        if (m.index > from) push(raw.slice(from, m.index), start + from);
        from = m.index + m[0].length;
        if (m[0].length === 0) this.separatorSplit.lastIndex++;
      }
      if (from < raw.length) push(raw.slice(from), start + from);
    };

    if (NEEDS_SEGMENTER.test(text)) {
      for (const seg of wordSegmenter().segment(text)) {
        if (seg.isWordLike) {
          // The segmenter keeps "3.14" or "l'eau" together; split those on our own word runs.
          this.wordRe.lastIndex = 0;
          for (let m = this.wordRe.exec(seg.segment); m !== null; m = this.wordRe.exec(seg.segment)) {
            emit(m[0], seg.index + m.index);
          }
        }
      }
    } else {
      this.wordRe.lastIndex = 0;
      for (let m = this.wordRe.exec(text); m !== null; m = this.wordRe.exec(text)) emit(m[0], m.index);
    }
    return first ? startPosition : position + HARD_SEPARATOR_GAP;
  }

  private isHardGap(text: string, from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (HARD_SEPARATORS.has(text[i]!)) return true;
    if (this.separatorSplit !== null) {
      // A custom separator token counts as hard when it contains a hard separator character.
      const gap = text.slice(from, to);
      for (const sep of this.config.separatorTokens) {
        if (sep.length > 0 && gap.includes(sep) && [...sep].some((c) => HARD_SEPARATORS.has(c))) return true;
      }
    }
    return false;
  }
}
