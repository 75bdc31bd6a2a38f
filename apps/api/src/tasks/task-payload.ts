import { SHARD_FIELD, stripReserved } from '@miroir/core';

// GET /tasks/{uid}/documents: one Miroir document addition is spread over the node tasks it caused,
// each holding the documents of the shards its node owns, every shard on RG × RF nodes. Pure.

export interface NodePayload {
  nodeId: string;
  /** The node task's documents, in the order the node holds them (NDJSON lines, parsed). */
  documents: ReadonlyArray<Record<string, unknown>>;
}

/**
 * The documents of the whole addition, each once: for every shard, the documents of the first
 * node (in the order given) that holds that shard. All owners of a shard were sent the same
 * documents in the same order, so any one of them gives the shard's part of the payload as the
 * client sent it; reserved fields are removed. Documents come shard part after shard part: the
 * client's order across shards is not kept anywhere.
 */
export function mergeNodePayloads(payloads: readonly NodePayload[]): Array<Record<string, unknown>> {
  const owner = new Map<unknown, string>();
  const out: Array<Record<string, unknown>> = [];
  for (const p of payloads) {
    for (const doc of p.documents) {
      const shard = doc[SHARD_FIELD] ?? null;
      const first = owner.get(shard);
      if (first === undefined) owner.set(shard, p.nodeId);
      else if (first !== p.nodeId) continue;
      out.push(stripReserved(doc));
    }
  }
  return out;
}

/**
 * A node's answer as documents. Meilisearch writes the documents of a JSON or CSV payload one after
 * the other with no separator (`{…}{…}`) and an NDJSON payload as it was sent (one per line, blank
 * lines kept), so the top-level objects are found by scanning, whatever separates them. A value
 * that is not an object is skipped.
 */
export function parseDocumentStream(body: Buffer | string): Array<Record<string, unknown>> {
  const text = body.toString();
  const out: Array<Record<string, unknown>> = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && depth > 0 && --depth === 0) {
      try {
        out.push(JSON.parse(text.slice(start, i + 1)) as Record<string, unknown>);
      } catch {
        // Not JSON after all: not a document.
      }
    }
  }
  return out;
}

/**
 * Documents as Meilisearch answers those of a JSON or CSV payload: one object after the other, no
 * separator (Miroir keeps no payload format: the nodes received JSON arrays).
 */
export function concatDocuments(documents: ReadonlyArray<Record<string, unknown>>): string {
  return documents.map((d) => JSON.stringify(d)).join('');
}
