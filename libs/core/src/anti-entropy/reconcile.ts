// Anti-entropy (docs/design.md#workflows): what one document should be on every replica of its shard, decided from
// the replicas' versions and the log of acknowledged deletions. Pure: the worker reads the
// replicas and the outbox, this decides, the worker writes.
//
// The newest version wins by `_miroir_updated_at` (stamped by the write path with the time the
// write began). A document some replicas lack is either an addition they missed or a deletion the
// others missed; deletions leave no trace on a node, so the outbox of acknowledged writes tells
// them apart: a deletion that covers the newest version and came after it wins. The same log says
// when the newest acknowledged write of the document began: when no replica holds that version,
// it was deleted everywhere it landed (or failed there), and the copies left are older ones.

import type { FilterExpr } from '../query/filter-ast';
import { matchesFilter } from '../query/filter-eval';
import { UPDATED_AT_FIELD } from '../reserved';

export type StoredDocument = Record<string, unknown>;

/** One replica's copy of a document: its content fingerprint and the document itself. */
export interface ReplicaCopy {
  readonly fingerprint: string;
  readonly doc: StoredDocument;
}

/**
 * An acknowledged deletion from the outbox, at the time its write began (ms). Only deletions whose
 * task did not fail: a delete by filter on an attribute that is not filterable is acknowledged,
 * then fails on every node, and removed nothing.
 */
export type Deletion =
  | { readonly at: number; readonly kind: 'ids'; readonly keys: ReadonlySet<string> }
  | { readonly at: number; readonly kind: 'filter'; readonly filter: FilterExpr | null }
  | { readonly at: number; readonly kind: 'all' };

export type Decision =
  /** Every replica agrees (holds the same version, or none holds the document). */
  | { readonly action: 'none' }
  /** Write `doc` (the newest version) to `to`. */
  | { readonly action: 'write'; readonly doc: StoredDocument; readonly to: readonly string[] }
  /** Delete the document from `from`: a deletion newer than every copy was missed there. */
  | { readonly action: 'delete'; readonly from: readonly string[] }
  /** Not decidable safely; left as it is and reported. */
  | { readonly action: 'unresolved'; readonly reason: UnresolvedReason };

export type UnresolvedReason =
  /** No copy carries `_miroir_updated_at` (written before anti-entropy was on). */
  | 'no_timestamp'
  /** Different contents with the same newest stamp: partial updates one replica missed, or two writes in the same millisecond. */
  | 'same_timestamp'
  /**
   * The newest acknowledged write is on no replica and only a filter deletion, which the copies
   * left do not match, came after it: whether it matched that version cannot be known.
   */
  | 'newer_version_gone';

/** The `_miroir_updated_at` of a stored document, or null when it has none. */
export function updatedAtOf(doc: StoredDocument): number | null {
  const v = doc[UPDATED_AT_FIELD];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Whether an acknowledged deletion later than `after` removed this document (as it then was). */
export function deletedAfter(deletions: readonly Deletion[], key: string, doc: StoredDocument, after: number): boolean {
  for (const d of deletions) {
    if (d.at <= after) continue;
    if (d.kind === 'all') return true;
    if (d.kind === 'ids' ? d.keys.has(key) : d.filter !== null && matchesFilter(d.filter, doc)) return true;
  }
  return false;
}

/**
 * The decision for one document (by its routing key) given every replica's copy (null: the
 * replica does not hold it) — all replicas of the shard, or a document held only by an unreachable
 * one could be deleted — the acknowledged deletions, and when the newest acknowledged write of the
 * document began (null when the log does not know). Copies without a stamp lose to stamped ones:
 * they were written before anti-entropy was turned on.
 */
export function reconcileDocument(
  key: string,
  copies: ReadonlyMap<string, ReplicaCopy | null>,
  deletions: readonly Deletion[],
  lastWriteAt: number | null = null,
): Decision {
  const present: Array<[string, ReplicaCopy]> = [];
  const absent: string[] = [];
  for (const [node, copy] of copies) {
    if (copy === null) absent.push(node);
    else present.push([node, copy]);
  }
  if (present.length === 0) return { action: 'none' };
  const first = present[0]![1].fingerprint;
  if (absent.length === 0 && present.every(([, c]) => c.fingerprint === first)) return { action: 'none' };

  let newest = present[0]![1];
  let newestAt = updatedAtOf(newest.doc) ?? -Infinity;
  let tie = false;
  for (const [, copy] of present.slice(1)) {
    const at = updatedAtOf(copy.doc) ?? -Infinity;
    if (at > newestAt) {
      newest = copy;
      newestAt = at;
      tie = false;
    } else if (at === newestAt && copy.fingerprint !== newest.fingerprint) {
      tie = true;
    }
  }
  if (newestAt === -Infinity) return { action: 'unresolved', reason: 'no_timestamp' };
  if (tie) return { action: 'unresolved', reason: 'same_timestamp' };

  const everywhere = present.map(([node]) => node);
  if (lastWriteAt !== null && lastWriteAt > newestAt) {
    // A newer version existed and no replica holds it: a deletion after it removed it where it
    // landed (by id or all: certainly; by a filter: if the filter matches the copies left, the
    // document is gone whichever version it was).
    const after = deletions.filter((d) => d.at > lastWriteAt);
    if (after.length > 0 && deletedAfter(after, key, newest.doc, lastWriteAt)) return { action: 'delete', from: everywhere };
    return { action: 'unresolved', reason: 'newer_version_gone' };
  }
  // Even with a copy on every replica: a delete by filter may have reached only replicas that
  // held an older version it did not match, while the version it did match lives on elsewhere.
  if (deletedAfter(deletions, key, newest.doc, newestAt)) return { action: 'delete', from: everywhere };
  const to = [...absent, ...present.filter(([, c]) => c.fingerprint !== newest.fingerprint).map(([node]) => node)];
  return { action: 'write', doc: newest.doc, to };
}
