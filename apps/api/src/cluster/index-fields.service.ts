import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { newFieldPaths } from '@miroir/core';
import { notifyIndexesChanged, type IndexRecord } from '@miroir/store';
import { DATA_SOURCE } from '../infra/tokens';
import { IndexRegistry } from './index-registry.service';

/**
 * Above this many field paths an index stops being tracked (the column becomes NULL and searches
 * go to the nodes unrestricted, as before tracking): every search carries the list, and a
 * schemaless index with thousands of keys would make each node request large.
 */
export const MAX_TRACKED_FIELDS = 1_000;

/**
 * The field paths an index's documents use (docs/design.md#reserved-attributes via `attributesToSearchOn`, see
 * `nodeAttributesToSearchOn`). A write records the paths its batch adds before any node receives
 * it, so a document is never searchable on a node before its fields are known; the union is
 * computed in one UPDATE against the row itself, so concurrent writers on several pods never lose
 * each other's fields, and the NOTIFY refreshes the other pods' registries.
 */
@Injectable()
export class IndexFields {
  private readonly sets = new WeakMap<readonly string[], ReadonlySet<string>>();

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly registry: IndexRegistry,
  ) {}

  /** Records the batch's new field paths; returns the index as it now stands. */
  async record(index: IndexRecord, documents: readonly unknown[]): Promise<IndexRecord> {
    const known = index.searchableFields;
    if (known == null) return index;
    const fresh = newFieldPaths(documents, this.knownSet(known));
    if (fresh.length === 0) return index;
    // Postgres text cannot hold U+0000, which JSON allows in a key: such an index stops being
    // tracked (searched unrestricted, as one with too many fields).
    const storable = !fresh.some((f) => f.includes('\u0000'));
    await this.ds.transaction(async (tx) => {
      await tx.query(
        `UPDATE indexes SET searchable_fields = (
           SELECT CASE WHEN count(*) > $3 OR NOT $4 THEN NULL ELSE coalesce(array_agg(f ORDER BY f), '{}') END
           FROM (SELECT DISTINCT unnest(searchable_fields || $2::text[]) AS f) AS merged)
         WHERE uid = $1 AND searchable_fields IS NOT NULL`,
        [index.uid, storable ? fresh : [], MAX_TRACKED_FIELDS, storable],
      );
      await notifyIndexesChanged(tx, index.uid);
    });
    return (await this.registry.reloadOne(index.uid)) ?? index;
  }

  private knownSet(fields: readonly string[]): ReadonlySet<string> {
    let set = this.sets.get(fields);
    if (!set) this.sets.set(fields, (set = new Set(fields)));
    return set;
  }
}
