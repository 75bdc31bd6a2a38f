import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { LoadedConfig, Logger } from '@miroir/config';
import { claimPendingNodeWriteTasks } from '@miroir/store';
import { DATA_SOURCE, LOADED_CONFIG, LOGGER } from '../infra/tokens';
import { TaskRefresher } from './task-refresher.service';

const BATCH = 200;
/** Batches per tick at most, so one tick never runs far past the next. */
const MAX_BATCHES = 20;

/**
 * Background refresh of pending node-write tasks (docs/design.md#tasks), so tasks nobody polls still finish.
 * Every API pod runs it: each tick locks a batch with FOR UPDATE SKIP LOCKED, so pods share the
 * work instead of repeating it, and a crashed pod's locks vanish with its connection.
 */
@Injectable()
export class TaskReconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = false;

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly refresher: TaskRefresher,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.loaded.config.tasks.reconcile_interval_ms);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass; overlapping ticks of this process are skipped. */
  async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      for (let i = 0; i < MAX_BATCHES && !this.stopped; i++) {
        const n = await this.ds.transaction(async (tx) => {
          const batch = await claimPendingNodeWriteTasks(tx, BATCH);
          await this.refresher.refresh(batch, tx);
          return batch.length;
        });
        if (n < BATCH) break;
      }
      // Workflow reports held behind an earlier task of their index that has finished since.
      if (!this.stopped) await this.refresher.showHeldReports();
    } catch (err) {
      if (!this.stopped) this.logger.warn({ err: (err as Error).message }, 'task reconciliation failed; retrying next tick');
    } finally {
      this.running = false;
    }
  }
}
