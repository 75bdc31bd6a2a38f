import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type Client, ScheduleOverlapPolicy } from '@temporalio/client';
import type { LoadedConfig, Logger } from '@miroir/config';
import { scheduleIds } from '@miroir/temporal';
import { LOADED_CONFIG, LOGGER, TEMPORAL_CLIENT } from '../infra/tokens';
import { HealthMonitor } from './health-monitor.service';

/** At most one early run request per pod per this interval: a flapping node must not start a scan a second. */
const MIN_INTERVAL_MS = 60_000;
/**
 * Degraded writes keep coming while a node is down: only the first in this window asks for a run
 * (the one that repairs a short outage); a longer one is repaired by the run its recovery starts.
 */
const DEGRADED_WINDOW_MS = 5 * 60_000;

/**
 * "Replay when the node recovers" (docs/design.md#per-group-quorum): when anti-entropy is on and this pod
 * acknowledges a write some replica missed, or sees a node become healthy again, it runs the
 * `miroir-anti-entropy` schedule now rather than at its next interval. A run retries shards whose
 * replica is unreachable for a while, so a node back within about a minute is repaired by the run a
 * degraded write started, even when this pod never saw it as unhealthy; one down longer is
 * repaired by the run its recovery starts.
 * BUFFER_ONE: a run in progress (which skipped the node's shards while it was down) is followed by
 * one more, and requests from several pods add at most that one. An operator's pause is respected.
 */
@Injectable()
export class AntiEntropyTrigger implements OnModuleInit, OnModuleDestroy {
  private lastAt = 0;
  private lastDegradedAt = -Infinity;
  private pending?: NodeJS.Timeout;
  private readonly reasons = new Set<string>();

  constructor(
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly health: HealthMonitor,
  ) {}

  onModuleInit(): void {
    if (!this.loaded.config.anti_entropy.enabled) return;
    this.health.onTransition((nodeId, healthy) => {
      if (healthy) this.request(`node ${nodeId} recovered`);
    });
  }

  /** A write was acknowledged while some replica missed it. */
  degradedWrite(index: string): void {
    if (!this.loaded.config.anti_entropy.enabled) return;
    const now = Date.now();
    if (now - this.lastDegradedAt < DEGRADED_WINDOW_MS) return;
    this.lastDegradedAt = now;
    this.request(`degraded write on ${index}`);
  }

  /**
   * Asks for an early run (no-op when anti-entropy is off). Requests close together share one:
   * the first at once, later ones once the minute since the last request sent has passed.
   */
  request(reason: string): void {
    if (!this.loaded.config.anti_entropy.enabled) return;
    this.reasons.add(reason);
    if (this.pending) return;
    const wait = Math.max(0, this.lastAt + MIN_INTERVAL_MS - Date.now());
    this.pending = setTimeout(() => void this.trigger(), wait);
    this.pending.unref();
  }

  onModuleDestroy(): void {
    if (this.pending) clearTimeout(this.pending);
  }

  private async trigger(): Promise<void> {
    this.pending = undefined;
    const reasons = [...this.reasons];
    this.reasons.clear();
    try {
      // Counted even when paused: it bounds this pod's calls to Temporal as well.
      this.lastAt = Date.now();
      const handle = this.temporal.schedule.getHandle(scheduleIds.antiEntropy());
      if ((await handle.describe()).state.paused) return;
      await handle.trigger(ScheduleOverlapPolicy.BUFFER_ONE);
      this.logger.info({ reasons }, 'anti-entropy run requested');
    } catch (err) {
      // The schedule runs at its interval anyway; this was only an early start.
      this.logger.warn({ reasons, err: (err as Error).message }, 'could not start anti-entropy early');
    }
  }
}
