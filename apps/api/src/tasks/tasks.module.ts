import { Module } from '@nestjs/common';
import { TaskReconciler } from './task-reconciler.service';
import { TaskRefresher } from './task-refresher.service';
import { TaskRegistry } from './task-registry.service';
import { TasksController } from './tasks.controller';

/** Miroir's task registry, /tasks routes and the reconciler (SPEC §6). */
@Module({
  controllers: [TasksController],
  providers: [TaskRegistry, TaskRefresher, TaskReconciler],
  exports: [TaskRegistry],
})
export class TasksModule {}
