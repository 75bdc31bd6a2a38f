import { Module } from '@nestjs/common';
import { IndexesModule } from '../indexes/indexes.module';
import { ReadModule } from '../search/read.module';
import { TasksModule } from '../tasks/tasks.module';
import { DocumentsWriteController } from './documents-write.controller';
import { DocumentsWriteService } from './documents-write.service';
import { QuorumWriter } from './quorum-writer.service';

/** Shard-routed and broadcast document writes (SPEC §4). */
@Module({
  imports: [TasksModule, IndexesModule, ReadModule],
  controllers: [DocumentsWriteController],
  providers: [DocumentsWriteService, QuorumWriter],
})
export class DocumentsWriteModule {}
