// What the query side reads from an index: a narrow view so that matching and ranking modules do
// not depend on how the engine stores and updates documents.

import type { Doc } from './types';
import type { InvertedIndex } from './inverted-index';
import type { Vocabulary } from './vocabulary';

export interface DocRecord {
  externalId: string;
  doc: Doc;
  /** Bumped on every replacement so that postings of the previous content read as stale. */
  version: number;
  /** Searchable tokens in attribute order: word ids (-1 for stop words)... */
  words: Int32Array;
  /** ...and their packed positions (fieldIdx << 16 | position), same length. */
  positions: Int32Array;
  /** [fieldIdx, number of non-stop words] pairs, for the exactness rule. */
  fieldCounts: Int32Array;
}

export interface IndexView {
  vocab: Vocabulary;
  index: InvertedIndex;
  /** Records by internal document id (undefined for free ids). */
  records: ReadonlyArray<DocRecord | undefined>;
  /** Upper bound (exclusive) of internal ids in use. */
  capacity: number;
  /** Weight (0 = most important) of each field id, -1 when the field is not searchable. */
  fieldWeights: readonly number[];
  /** The largest weight of the searchable attributes, for the attribute rule's maximum. */
  maxWeight: number;
  /** Field ids whose words must match without typos (typoTolerance.disableOnAttributes). */
  typoDisabledFields: ReadonlySet<number>;
  fieldPaths: readonly string[];
}
