import { Module } from '@nestjs/common';

/** Miroir's task registry, /tasks routes and the reconciler (SPEC §6). */
@Module({})
export class TasksModule {}
