import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Logger } from '@miroir/config';
import { TaskRecord } from '@miroir/store';
import { DATA_SOURCE, LOGGER } from '../infra/tokens';
import { MetricsService } from './metrics.service';

const REFRESH_MS = 15_000;

/**
 * Keeps `miroir_task_registry_tasks` current by counting the registry per status in Postgres
 * (indexed column), at most every 15 s and only when something scrapes: a busy scraper, or several
 * API pods, cost one small query per interval each, and no pod runs a timer for it.
 */
@Injectable()
export class TaskRegistryGauge implements OnModuleInit {
  private refreshedAt = 0;
  private inflight?: Promise<void>;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.metrics.beforeScrape(() => this.refresh());
  }

  private refresh(): Promise<void> {
    if (Date.now() - this.refreshedAt < REFRESH_MS) return Promise.resolve();
    this.inflight ??= this.count().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async count(): Promise<void> {
    try {
      const rows = await this.ds
        .getRepository(TaskRecord)
        .createQueryBuilder('t')
        .select('t.status', 'status')
        .addSelect('COUNT(*)::int', 'n')
        .groupBy('t.status')
        .getRawMany<{ status: string; n: number }>();
      this.metrics.setTaskRegistrySize(Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])));
      this.refreshedAt = Date.now();
    } catch (err) {
      // Keep the last values; readiness reports Postgres trouble.
      this.logger.warn({ err: (err as Error).message }, 'cannot count the task registry for metrics');
      this.refreshedAt = Date.now();
    }
  }
}
