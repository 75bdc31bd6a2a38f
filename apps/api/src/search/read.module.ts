import { Module } from '@nestjs/common';

/** Search, multi-search, documents reads, stats and explain (SPEC §5). */
@Module({})
export class ReadModule {}
