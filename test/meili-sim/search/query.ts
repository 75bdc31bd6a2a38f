// Query parsing as milli's `located_query_terms_from_tokens`: the query is tokenised like a
// document (same positions), quoted parts become phrases, `-word` / `-"phrase"` are negative
// (excluded) terms, stop words are dropped unless they are the last token, the last word is a
// prefix unless something follows it, and only the first 10 words count.

import { Token, Tokenizer } from './tokenizer';

export const MAX_QUERY_WORDS = 10;

export interface WordTerm {
  kind: 'word';
  word: string;
  prefix: boolean;
  position: number;
}

export interface PhraseTerm {
  kind: 'phrase';
  /** null marks a stop word inside the phrase: any word may stand there. */
  words: (string | null)[];
  position: number;
}

export type QueryTerm = WordTerm | PhraseTerm;

export interface ParsedQuery {
  terms: QueryTerm[];
  negativeWords: string[];
  negativePhrases: (string | null)[][];
}

/** First and last query position a term covers (a phrase covers one position per word). */
export function termSpan(term: QueryTerm): [number, number] {
  return term.kind === 'word' ? [term.position, term.position] : [term.position, term.position + term.words.length - 1];
}

function isWhitespace(ch: string | undefined): boolean {
  return ch === undefined || /\s/u.test(ch);
}

export function parseQuery(q: string, tokenizer: Tokenizer): ParsedQuery {
  // Quoted ranges [open, close) in UTF-16 offsets; an unclosed quote runs to the end.
  const quoted: Array<{ start: number; end: number; negative: boolean }> = [];
  for (let i = q.indexOf('"'); i >= 0; ) {
    const close = q.indexOf('"', i + 1);
    const end = close < 0 ? q.length : close;
    quoted.push({ start: i + 1, end, negative: q[i - 1] === '-' && isWhitespace(q[i - 2]) });
    if (close < 0) break;
    i = q.indexOf('"', close + 1);
  }
  const tokens: Token[] = [];
  tokenizer.tokenize(q, tokens);

  const out: ParsedQuery = { terms: [], negativeWords: [], negativePhrases: [] };
  let words = 0;
  let currentPhrase: { range: number; words: (string | null)[]; position: number } | null = null;
  const flushPhrase = (): void => {
    if (currentPhrase === null) return;
    const range = quoted[currentPhrase.range]!;
    if (currentPhrase.words.some((w) => w !== null)) {
      if (range.negative) out.negativePhrases.push(currentPhrase.words);
      else out.terms.push({ kind: 'phrase', words: currentPhrase.words, position: currentPhrase.position });
    }
    currentPhrase = null;
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const range = quoted.findIndex((r) => token.start >= r.start && token.end <= r.end);
    if (range >= 0) {
      if (currentPhrase !== null && currentPhrase.range !== range) flushPhrase();
      if (words >= MAX_QUERY_WORDS) break;
      currentPhrase ??= { range, words: [], position: token.position };
      currentPhrase.words.push(token.stop ? null : token.word);
      if (!quoted[range]!.negative) words++;
      continue;
    }
    flushPhrase();
    const negative = q[token.start - 1] === '-' && isWhitespace(q[token.start - 2]);
    if (negative) {
      out.negativeWords.push(token.word);
      continue;
    }
    // The last word is a prefix only when nothing (not even a space) follows it.
    const isLast = i === tokens.length - 1;
    if (token.stop && !isLast) continue;
    if (words >= MAX_QUERY_WORDS) break;
    out.terms.push({ kind: 'word', word: token.word, prefix: isLast && token.end === q.length, position: token.position });
    words++;
  }
  flushPhrase();
  return out;
}
