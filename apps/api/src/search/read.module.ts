import { Module } from '@nestjs/common';
import { DocumentsReadController } from './documents-read.controller';
import { DocumentsReadService } from './documents-read.service';
import { FacetSearchController } from './facet-search.controller';
import { FacetSearchService } from './facet-search.service';
import { IndexReadSettings } from './index-read-settings.service';
import { MultiSearchController } from './multi-search.controller';
import { MultiSearchService } from './multi-search.service';
import { AffinityReadHooks } from '../affinity/affinity-read-hooks';
import { ReadHooks } from './read-hooks';
import { ScatterGather } from './scatter-gather.service';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';
import { SimilarController } from './similar.controller';
import { SimilarService } from './similar.service';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

/** Search, multi-search, facet search, similar documents, documents reads, stats and explain (docs/design.md#read-path). */
@Module({
  controllers: [SearchController, MultiSearchController, FacetSearchController, SimilarController, DocumentsReadController, StatsController],
  // Sessions and tenants decide the group (apps/api/src/affinity); the base class is the seam.
  providers: [
    { provide: ReadHooks, useClass: AffinityReadHooks },
    ScatterGather,
    IndexReadSettings,
    SearchService,
    MultiSearchService,
    FacetSearchService,
    SimilarService,
    DocumentsReadService,
    StatsService,
  ],
  exports: [SearchService, ScatterGather, ReadHooks, IndexReadSettings],
})
export class ReadModule {}
