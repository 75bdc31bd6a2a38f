import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { LoadedConfig, Logger } from '@miroir/config';
import { CHANNELS, listen, type Channel, type Listener } from '@miroir/store';
import { LOADED_CONFIG, LOGGER } from '../infra/tokens';

type Handler = (payload: string | undefined) => void;

/**
 * One LISTEN connection per API process for every Miroir channel. Subscribers reload their cache
 * on a notification, and on reconnect (notifications sent while disconnected are lost).
 */
@Injectable()
export class ChangeFeed implements OnModuleInit, OnModuleDestroy {
  private listener?: Listener;
  private readonly handlers = new Map<Channel, Set<Handler>>();
  private readonly reconnectHandlers = new Set<() => void>();

  constructor(
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  on(channel: Channel, handler: Handler): void {
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
  }

  onReconnect(handler: () => void): void {
    this.reconnectHandlers.add(handler);
  }

  async onModuleInit(): Promise<void> {
    this.listener = await listen(
      this.loaded.secrets.databaseUrl!,
      Object.values(CHANNELS),
      (channel, payload) => {
        for (const h of this.handlers.get(channel) ?? []) h(payload);
      },
      () => {
        this.logger.info('change feed reconnected; reloading caches');
        for (const h of this.reconnectHandlers) h();
      },
      (err) => this.logger.warn({ err: err.message }, 'change feed connection error'),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.close();
  }
}
