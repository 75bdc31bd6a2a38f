import { Module } from '@nestjs/common';
import { ExperimentalModule } from '../experimental/experimental.module';
import { IndexesModule } from '../indexes/indexes.module';
import { ReadModule } from '../search/read.module';
import { TasksModule } from '../tasks/tasks.module';
import { DocumentsWriteController } from './documents-write.controller';
import { DocumentsWriteService } from './documents-write.service';
import { QuorumWriter } from './quorum-writer.service';

/** Shard-routed and broadcast document writes (docs/design.md#write-path). */
@Module({
  imports: [TasksModule, IndexesModule, ReadModule, ExperimentalModule],
  controllers: [DocumentsWriteController],
  providers: [DocumentsWriteService, QuorumWriter],
})
export class DocumentsWriteModule {}
