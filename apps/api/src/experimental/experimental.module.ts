import { Module } from '@nestjs/common';
import { IndexesModule } from '../indexes/indexes.module';
import { ExperimentalFeaturesController } from './experimental-features.controller';
import { ExperimentalFeaturesService } from './experimental-features.service';

/** Node-wide experimental flags (docs/api-compatibility.md). */
@Module({
  imports: [IndexesModule],
  controllers: [ExperimentalFeaturesController],
  providers: [ExperimentalFeaturesService],
  exports: [ExperimentalFeaturesService],
})
export class ExperimentalModule {}
