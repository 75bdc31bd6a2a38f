import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { findBatchTasks, listBatchUids, type TaskListFilter } from '@miroir/store';
import { DATA_SOURCE } from '../infra/tokens';
import { batchView, type BatchView } from './batch-view';
import { taskErrors } from './task-errors';
import type { TaskListQuery } from './task-query';
import { TaskRefresher } from './task-refresher.service';

export interface BatchListView {
  results: BatchView[];
  total: number;
  limit: number;
  from: number | null;
  next: number | null;
}

/** GET /batches: Miroir's batches, read from the task registry (see batch-view.ts for what a batch is). */
@Injectable()
export class BatchRegistry {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly refresher: TaskRefresher,
  ) {}

  async list(q: TaskListQuery): Promise<BatchListView> {
    const page = await listBatchUids(this.ds, q.filter, { limit: q.limit, from: q.from, reverse: q.reverse });
    const views = await this.views(page.uids);
    return { results: views, total: page.total, limit: q.limit, from: views[0]?.uid ?? null, next: page.next };
  }

  /** `visibleIndexPatterns`: an index-restricted key's scope; a batch it may not see does not exist for it. */
  async get(uid: number, visibleIndexPatterns?: readonly string[]): Promise<BatchView> {
    const filter: TaskListFilter = { batchUids: [uid], ...(visibleIndexPatterns ? { visibleIndexPatterns } : {}) };
    const page = await listBatchUids(this.ds, filter, { limit: 1, reverse: false });
    const [view] = page.uids.length > 0 ? await this.views(page.uids) : [];
    if (!view) throw taskErrors.batchNotFound(uid);
    return view;
  }

  /** The batches' tasks, running ones refreshed from their node tasks first (so `progress` is current). */
  private async views(uids: readonly number[]): Promise<BatchView[]> {
    const tasks = await findBatchTasks(this.ds, uids);
    await this.refresher.refresh(tasks);
    const views: BatchView[] = [];
    for (const uid of uids) {
      // A batch whose only task moved to a cancelation's batch in the refresh is gone.
      const view = batchView(uid, tasks);
      if (view) views.push(view);
    }
    return views;
  }
}
