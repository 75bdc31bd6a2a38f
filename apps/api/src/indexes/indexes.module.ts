import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TasksModule } from '../tasks/tasks.module';
import { INDEX_LIFECYCLE } from './index-lifecycle.contract';
import { IndexLifecycleService } from './index-lifecycle.service';
import { IndexesController } from './indexes.controller';
import { NodePicker } from './node-picker.service';
import { SettingsController } from './settings.controller';
import { SettingsHeadersInterceptor } from './settings-headers.interceptor';
import { SettingsVersionService } from './settings-version.service';
import { SettingsService } from './settings.service';
import { StalledIndexTasks } from './stalled-index-tasks.service';
import { VersionController } from './version.controller';
import { WorkflowStarter } from './workflow-starter.service';

/** Index lifecycle, settings and version (docs/api-compatibility.md, docs/settings-and-indexes.md). */
@Module({
  imports: [TasksModule],
  controllers: [IndexesController, SettingsController, VersionController],
  providers: [
    IndexLifecycleService,
    { provide: INDEX_LIFECYCLE, useExisting: IndexLifecycleService },
    WorkflowStarter,
    NodePicker,
    SettingsService,
    SettingsVersionService,
    StalledIndexTasks,
    // Global: the docs/settings-and-indexes.md headers belong on every /indexes/:uid route, the read path's included.
    { provide: APP_INTERCEPTOR, useClass: SettingsHeadersInterceptor },
  ],
  exports: [INDEX_LIFECYCLE, SettingsVersionService, NodePicker],
})
export class IndexesModule {}
