import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CHANNELS, IndexRecord, loadIndexes } from '@miroir/store';
import { errors } from '../errors/catalog';
import { assertIndexUid, isValidIndexUid } from '../indexes/index-uid';
import { DATA_SOURCE } from '../infra/tokens';
import { ChangeFeed } from './change-feed.service';

/**
 * Index metadata (primary key, shard count, settings version) cached per process and refreshed
 * on NOTIFY. A miss reads Postgres before answering index_not_found, so an index created through
 * another API pod a moment ago is found even if its notification has not arrived yet.
 *
 * A notification arrives a little after the change committed, so the cache can lag behind a task
 * a client has already seen succeed. What a client reads back as index metadata (GET /indexes,
 * GET /indexes/{uid}: `current`, `currentAll`) therefore comes from Postgres, and a document write
 * confirms the cached row first (`ensureFresh`, called by TaskOrder.waitTurn); the hot read paths
 * (search, documents) use the cache.
 */
@Injectable()
export class IndexRegistry implements OnModuleInit {
  private byUid = new Map<string, IndexRecord>();

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly feed: ChangeFeed,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reloadAll();
    this.feed.on(CHANNELS.indexes, (uid) => void (uid ? this.reloadOne(uid) : this.reloadAll()));
    this.feed.onReconnect(() => void this.reloadAll());
  }

  /** The index, or Meilisearch's index_not_found. Only `ready` indexes are visible to clients. */
  async get(uid: string): Promise<IndexRecord> {
    // Validated before any lookup: a uid Meilisearch would refuse (a NUL byte, 600 characters…)
    // never reaches Postgres.
    assertIndexUid(uid);
    const cached = this.byUid.get(uid);
    if (cached && cached.state === 'ready') return cached;
    const fresh = await this.reloadOne(uid);
    if (!fresh || fresh.state !== 'ready') throw errors.indexNotFound(uid);
    return fresh;
  }

  /** Like get() but without throwing; includes indexes being created or deleted. */
  async find(uid: string): Promise<IndexRecord | undefined> {
    if (!isValidIndexUid(uid)) return undefined;
    return this.byUid.get(uid) ?? (await this.reloadOne(uid));
  }

  /** The index as Postgres has it now (refreshing the cache), or index_not_found. */
  async current(uid: string): Promise<IndexRecord> {
    assertIndexUid(uid);
    const fresh = await this.reloadOne(uid);
    if (!fresh || fresh.state !== 'ready') throw errors.indexNotFound(uid);
    return fresh;
  }

  /** Every client-visible index as Postgres has them now (refreshing the cache), by uid. */
  async currentAll(): Promise<IndexRecord[]> {
    await this.reloadAll();
    return this.all();
  }

  /**
   * Reloads the cached row unless it is the one Postgres holds (`updatedAt` read from Postgres a
   * moment ago; null when the row does not exist). Every change of state, primary key or settings
   * version sets updated_at.
   */
  async ensureFresh(uid: string, updatedAt: Date | null): Promise<void> {
    const cached = this.byUid.get(uid);
    if (updatedAt === null ? cached === undefined : cached?.updatedAt.getTime() === updatedAt.getTime()) return;
    await this.reloadOne(uid);
  }

  all(): IndexRecord[] {
    return [...this.byUid.values()].filter((r) => r.state === 'ready').sort((a, b) => (a.uid < b.uid ? -1 : 1));
  }

  async reloadOne(uid: string): Promise<IndexRecord | undefined> {
    const row = await this.ds.getRepository(IndexRecord).findOne({ where: { uid } });
    if (row) this.byUid.set(uid, row);
    else this.byUid.delete(uid);
    return row ?? undefined;
  }

  async reloadAll(): Promise<void> {
    const rows = await loadIndexes(this.ds);
    this.byUid = new Map(rows.map((r) => [r.uid, r]));
  }
}
