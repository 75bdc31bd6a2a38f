import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CHANNELS, undispatchedIndexTasks } from '@miroir/store';
import { ChangeFeed } from '../cluster/change-feed.service';
import { IndexRegistry } from '../cluster/index-registry.service';
import { TopologyService } from '../cluster/topology.service';
import { errors } from '../errors/catalog';
import { isValidIndexUid } from '../indexes/index-uid';
import { DATA_SOURCE } from '../infra/tokens';

/**
 * How long a write waits for earlier settings or index changes to reach the nodes. Dispatching a
 * change takes milliseconds; only a stalled worker or a node that hangs through every retry of
 * the enqueue (5 attempts) comes near this.
 */
export const TASK_ORDER_WAIT_MS = 60_000;
/** Re-check this often even without a notification (one could be lost on a reconnect). */
const POLL_MS = 200;

/**
 * Per-index task order for document writes (docs/architecture.md, "Task order"). Meilisearch runs
 * the tasks of an index in the order they were enqueued; Miroir's nodes do too, so it is enough
 * that a write reaches the nodes after every earlier settings change or index operation of its
 * index has been enqueued there (dispatched). Document writes go to the nodes straight from the
 * API, settings and index operations through Temporal workflows: before sending a write, the API
 * waits here until no earlier workflow task of the index is undispatched. Dispatches are announced
 * on the index NOTIFY channel; a short poll covers a lost notification.
 *
 * If the wait passes TASK_ORDER_WAIT_MS the write is refused (503 miroir_task_order_timeout, retry
 * later) rather than sent ahead of the change it must follow.
 */
@Injectable()
export class TaskOrder implements OnModuleInit {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly feed: ChangeFeed,
    private readonly registry: IndexRegistry,
    private readonly topology: TopologyService,
  ) {}

  onModuleInit(): void {
    this.feed.on(CHANNELS.indexes, (uid) => (uid ? this.wake(uid) : this.wakeAll()));
    this.feed.onReconnect(() => this.wakeAll());
  }

  /**
   * Resolves once the write may go to the nodes, with this pod's copy of the index's metadata as
   * fresh as Postgres (a primary-key change or deletion that succeeded on another pod a moment ago
   * is seen even before its notification arrives).
   */
  async waitTurn(indexUid: string): Promise<void> {
    if (!isValidIndexUid(indexUid)) return; // refused by the write path itself
    // A pod cut off from Postgres refuses the write at once, before waiting on a query that hangs.
    await this.topology.confirmForWrite();
    const deadline = Date.now() + TASK_ORDER_WAIT_MS;
    let upTo: number | undefined;
    for (;;) {
      // Armed before the query, so a dispatch announced while it runs is not missed.
      const nap = this.arm(indexUid, POLL_MS);
      const turn = await undispatchedIndexTasks(this.ds, indexUid, upTo === undefined ? {} : { upTo });
      if (turn.uids.length === 0) {
        nap.cancel();
        await this.registry.ensureFresh(indexUid, turn.indexUpdatedAt);
        return;
      }
      // Only the changes enqueued before this write count: later ones must not prolong the wait.
      upTo ??= turn.uids[turn.uids.length - 1]!;
      if (Date.now() >= deadline) {
        nap.cancel();
        throw errors.taskOrderTimeout(indexUid, turn.uids[0]!, TASK_ORDER_WAIT_MS / 1000);
      }
      await nap.done;
    }
  }

  private arm(indexUid: string, ms: number): { done: Promise<void>; cancel: () => void } {
    let set = this.waiters.get(indexUid);
    if (!set) this.waiters.set(indexUid, (set = new Set()));
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const timer = setTimeout(() => wake(), ms);
    const wake = (): void => {
      clearTimeout(timer);
      set.delete(wake);
      if (set.size === 0 && this.waiters.get(indexUid) === set) this.waiters.delete(indexUid);
      resolve();
    };
    set.add(wake);
    return { done, cancel: wake };
  }

  private wake(indexUid: string): void {
    for (const w of [...(this.waiters.get(indexUid) ?? [])]) w();
  }

  private wakeAll(): void {
    for (const uid of [...this.waiters.keys()]) this.wake(uid);
  }
}
