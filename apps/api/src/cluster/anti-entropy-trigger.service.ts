import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type Client, ScheduleOverlapPolicy } from '@temporalio/client';
import type { LoadedConfig, Logger } from '@miroir/config';
import { scheduleIds } from '@miroir/temporal';
import { LOADED_CONFIG, LOGGER, TEMPORAL_CLIENT } from '../infra/tokens';
import { HealthMonitor } from './health-monitor.service';

/** At most one early run request per pod per this interval: a flapping node must not start a scan a second. */
const MIN_INTERVAL_MS = 60_000;

/**
 * "Replay when the node recovers" (SPEC §4 step 6): when anti-entropy is on and this pod sees a
 * node become healthy again, it runs the `miroir-anti-entropy` schedule now rather than at its next
 * interval, so the writes the node missed are repaired within a settling delay of its return.
 * BUFFER_ONE: a run in progress (which skipped the node's shards while it was down) is followed by
 * one more, and requests from several pods add at most that one. An operator's pause is respected.
 */
@Injectable()
export class AntiEntropyTrigger implements OnModuleInit, OnModuleDestroy {
  private lastAt = 0;
  private pending?: NodeJS.Timeout;
  private readonly recovered = new Set<string>();

  constructor(
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly health: HealthMonitor,
  ) {}

  onModuleInit(): void {
    if (!this.loaded.config.anti_entropy.enabled) return;
    this.health.onTransition((nodeId, healthy) => {
      if (!healthy) return;
      this.recovered.add(nodeId);
      // Recoveries close together share one run: the first at once, later ones once the minute
      // since the last run request has passed.
      if (this.pending) return;
      const wait = Math.max(0, this.lastAt + MIN_INTERVAL_MS - Date.now());
      this.pending = setTimeout(() => void this.trigger(), wait);
      this.pending.unref();
    });
  }

  onModuleDestroy(): void {
    if (this.pending) clearTimeout(this.pending);
  }

  private async trigger(): Promise<void> {
    this.pending = undefined;
    const nodes = [...this.recovered];
    this.recovered.clear();
    try {
      const handle = this.temporal.schedule.getHandle(scheduleIds.antiEntropy());
      if ((await handle.describe()).state.paused) return;
      this.lastAt = Date.now();
      await handle.trigger(ScheduleOverlapPolicy.BUFFER_ONE);
      this.logger.info({ nodes }, 'nodes recovered: anti-entropy run requested');
    } catch (err) {
      // The schedule runs at its interval anyway; this was only an early start.
      this.logger.warn({ nodes, err: (err as Error).message }, 'could not start anti-entropy early');
    }
  }
}
