import type { CoveringTarget } from '@miroir/core';
import { seg } from '@miroir/meili';
import type { IndexRecord } from '@miroir/store';
import { errors } from '../errors/catalog';
import { MeiliError } from '../errors/meili-error';
import type { ReadContext } from './read-hooks';
import { ScatterGather } from './scatter-gather.service';

// The reference document's embeddings for a similar search (see SimilarService): read from one
// replica of the document's shard with `retrieveVectors`, so the nodes of the other shards can be
// asked for its neighbours.

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isVector = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

/**
 * The embeddings of `_vectors.{embedder}` as a node returns them (`{embeddings, regenerate}`, or
 * the array forms a document may hold): a list of vectors, possibly empty.
 */
export function embeddingsOf(value: unknown): number[][] {
  const raw = isObject(value) ? value['embeddings'] : value;
  if (isVector(raw)) return raw.length === 0 ? [] : [raw];
  if (Array.isArray(raw)) return raw.filter(isVector).filter((v) => v.length > 0);
  return [];
}

/**
 * The reference document's embeddings for `q.embedder`: null when the document does not exist or
 * has no entry for that embedder (the owner node then answers Meilisearch's error), an empty list
 * when the document has no embedding. Throws miroir_shard_unavailable when no replica of the
 * document's shard answers: without the reference embedding no neighbour can be looked for.
 */
export async function referenceEmbeddings(
  scatter: ScatterGather,
  index: IndexRecord,
  q: { readonly id: string; readonly embedder: string },
  home: number,
  ctx: ReadContext,
): Promise<number[][] | null> {
  if (index.primaryKey === null) return null; // no document was ever written
  const plan = scatter.plan({ index, shards: [home], ctx });
  const path = `/indexes/${seg(index.uid)}/documents/${seg(q.id)}`;
  const query = { retrieveVectors: 'true', fields: index.primaryKey };
  let value: unknown;
  try {
    const outcome = await scatter.scatter(plan, (client, _t: CoveringTarget) => client.call<unknown>('GET', path, { query }));
    if (outcome.parts.length === 0) throw errors.shardUnavailable(outcome.uncovered);
    value = outcome.parts[0]!.value;
  } catch (err) {
    if (err instanceof MeiliError && err.status === 404) return null; // document_not_found
    throw err;
  }
  const vectors = isObject(value) && isObject(value['_vectors']) ? value['_vectors'][q.embedder] : undefined;
  return vectors === undefined ? null : embeddingsOf(vectors);
}
