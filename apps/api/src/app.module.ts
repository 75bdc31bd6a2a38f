import { Module, type DynamicModule } from '@nestjs/common';
import { ClusterModule } from './cluster/cluster.module';
import { HealthModule } from './health/health.module';
import { InfraModule, type InfraResources } from './infra/infra.module';

@Module({})
export class AppModule {
  static forRoot(res: InfraResources): DynamicModule {
    return { module: AppModule, imports: [InfraModule.forRoot(res), ClusterModule, HealthModule] };
  }
}
