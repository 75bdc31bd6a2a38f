import { Module } from '@nestjs/common';
import { DocumentsReadController } from './documents-read.controller';
import { DocumentsReadService } from './documents-read.service';
import { IndexReadSettings } from './index-read-settings.service';
import { MultiSearchController } from './multi-search.controller';
import { MultiSearchService } from './multi-search.service';
import { AffinityReadHooks } from '../affinity/affinity-read-hooks';
import { ReadHooks } from './read-hooks';
import { ScatterGather } from './scatter-gather.service';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

/** Search, multi-search, documents reads, stats and explain (SPEC §5). */
@Module({
  controllers: [SearchController, MultiSearchController, DocumentsReadController, StatsController],
  // Sessions and tenants decide the group (apps/api/src/affinity); the base class is the seam.
  providers: [{ provide: ReadHooks, useClass: AffinityReadHooks }, ScatterGather, IndexReadSettings, SearchService, MultiSearchService, DocumentsReadService, StatsService],
  exports: [SearchService, ScatterGather, ReadHooks, IndexReadSettings],
})
export class ReadModule {}
