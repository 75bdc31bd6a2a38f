import { Module } from '@nestjs/common';

/** Shard-routed and broadcast document writes (SPEC §4). */
@Module({})
export class DocumentsWriteModule {}
