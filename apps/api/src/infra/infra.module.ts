import { Global, Module, type DynamicModule, type OnApplicationShutdown, Inject } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { LoadedConfig, Logger } from '@miroir/config';
import { DATA_SOURCE, LOADED_CONFIG, LOGGER, TEMPORAL_CLIENT } from './tokens';

export interface InfraResources {
  loaded: LoadedConfig;
  ds: DataSource;
  temporal: Client;
  logger: Logger;
}

/**
 * Provides the resources opened before Nest starts (config, Postgres, Temporal, logger), so that
 * start-up failures surface as one clear error instead of a DI stack, and closes them on shutdown.
 */
@Global()
@Module({})
export class InfraModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  static forRoot(res: InfraResources): DynamicModule {
    return {
      module: InfraModule,
      providers: [
        { provide: LOADED_CONFIG, useValue: res.loaded },
        { provide: DATA_SOURCE, useValue: res.ds },
        { provide: TEMPORAL_CLIENT, useValue: res.temporal },
        { provide: LOGGER, useValue: res.logger },
      ],
      exports: [LOADED_CONFIG, DATA_SOURCE, TEMPORAL_CLIENT, LOGGER],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.temporal.connection.close().catch(() => undefined);
    if (this.ds.isInitialized) await this.ds.destroy().catch(() => undefined);
  }
}
