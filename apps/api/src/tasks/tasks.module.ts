import { Module } from '@nestjs/common';
import { NodePicker } from '../indexes/node-picker.service';
import { BatchRegistry } from './batch-registry.service';
import { BatchesController } from './batches.controller';
import { TaskDocumentsService } from './task-documents.service';
import { TaskOperationsService } from './task-operations.service';
import { TaskOrder } from './task-order.service';
import { TaskReconciler } from './task-reconciler.service';
import { TaskRefresher } from './task-refresher.service';
import { TaskRegistry } from './task-registry.service';
import { TasksController } from './tasks.controller';

/** Miroir's task registry, /tasks and /batches routes, task cancelation and deletion, and the reconciler (docs/design.md#tasks). */
@Module({
  controllers: [TasksController, BatchesController],
  providers: [TaskRegistry, TaskRefresher, TaskReconciler, BatchRegistry, TaskOperationsService, TaskDocumentsService, NodePicker, TaskOrder],
  exports: [TaskRegistry, TaskOrder],
})
export class TasksModule {}
