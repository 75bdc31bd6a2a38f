import { Module } from '@nestjs/common';

/** The /_miroir admin API (SPEC §13). */
@Module({})
export class AdminModule {}
