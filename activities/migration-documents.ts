// Reading one shard of one index from a node, page by page, and fingerprinting its documents.
import { createHash } from 'node:crypto';
import { documentKey } from '@miroir/core/routing/document-id';
import type { Document, NodeClient } from '@miroir/meili';
import type { CallOptions } from '@miroir/meili';

/** The filter selecting one shard's documents; `_miroir_shard` is filterable on every node (docs/settings-and-indexes.md). */
export const shardOnly = (shard: number): string => `_miroir_shard = ${shard}`;

/** JSON with object keys sorted at every depth: equal documents give equal bytes on every node. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** SHA-256 of the canonical JSON: the content fingerprint compared between replicas. */
export function fingerprint(doc: Document): string {
  return createHash('sha256').update(canonicalJson(doc)).digest('base64');
}

/** The routing string of a document's primary key (integers by decimal form, as Meilisearch). */
export function keyOf(doc: Document, primaryKey: string): string {
  const k = documentKey(doc[primaryKey]);
  if (k === null) throw new Error(`a stored document has no valid \`${primaryKey}\`: ${JSON.stringify(doc).slice(0, 200)}`);
  return k;
}

/** Documents of one shard on one node: `total` from a limit-0 fetch. */
export async function countShard(client: NodeClient, index: string, shard: number, o?: CallOptions): Promise<number> {
  const page = await client.getDocuments(index, { filter: shardOnly(shard), limit: 0 }, o);
  return page.total;
}

export interface ShardFingerprints {
  /** key → fingerprint */
  hashes: Map<string, string>;
  /** key → the primary key value as stored (string or integer), for delete and fetch by id. */
  ids: Map<string, string | number>;
}

/** Every (key, fingerprint) of one shard on one node, scanning pages of `pageSize`. */
export async function scanFingerprints(
  client: NodeClient,
  index: string,
  shard: number,
  primaryKey: string,
  pageSize: number,
  onPage: () => void,
  o?: CallOptions,
): Promise<ShardFingerprints> {
  const out: ShardFingerprints = { hashes: new Map(), ids: new Map() };
  for (let offset = 0; ; offset += pageSize) {
    const page = await client.getDocuments(index, { filter: shardOnly(shard), offset, limit: pageSize }, o);
    for (const doc of page.results) {
      const key = keyOf(doc, primaryKey);
      out.hashes.set(key, fingerprint(doc));
      out.ids.set(key, doc[primaryKey] as string | number);
    }
    onPage();
    if (page.results.length < pageSize) return out;
  }
}
