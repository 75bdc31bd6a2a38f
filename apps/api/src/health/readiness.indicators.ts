import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE, TEMPORAL_CLIENT } from '../infra/tokens';

@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
  ) {}

  async postgres() {
    const check = this.indicator.check('postgres');
    try {
      await this.ds.query('SELECT 1');
      return check.up();
    } catch (err) {
      return check.down({ message: (err as Error).message });
    }
  }

  async temporal() {
    const check = this.indicator.check('temporal');
    try {
      // A cheap RPC that proves the frontend and the namespace answer.
      await this.client.workflowService.getSystemInfo({});
      return check.up();
    } catch (err) {
      return check.down({ message: (err as Error).message });
    }
  }
}
