import { Module } from '@nestjs/common';

/** Prometheus metrics (SPEC §14). */
@Module({})
export class ObservabilityModule {}
