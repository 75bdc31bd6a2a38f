import { ExperimentalModule } from './experimental/experimental.module';
import { Module, type DynamicModule } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { AffinityModule } from './affinity/affinity.module';
import { AuthModule } from './auth/auth.module';
import { ClusterModule } from './cluster/cluster.module';
import { DocumentsWriteModule } from './documents-write/documents-write.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { IndexesModule } from './indexes/indexes.module';
import { InfraModule, type InfraResources } from './infra/infra.module';
import { KeysModule } from './keys/keys.module';
import { ObservabilityModule } from './observability/observability.module';
import { ReadModule } from './search/read.module';
import { TasksModule } from './tasks/tasks.module';
import { TopologyAdminModule } from './topology-admin/topology-admin.module';

@Module({})
export class AppModule {
  static forRoot(res: InfraResources): DynamicModule {
    return {
      module: AppModule,
      imports: [
        InfraModule.forRoot(res),
        ClusterModule,
        ObservabilityModule,
        AuthModule,
        HealthModule,
        IdempotencyModule,
        AffinityModule,
        TasksModule,
        IndexesModule,
        KeysModule,
        DocumentsWriteModule,
        ReadModule,
        AdminModule,
        TopologyAdminModule,
        ExperimentalModule,
      ],
    };
  }
}
