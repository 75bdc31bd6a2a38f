import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ReadAffinityInterceptor } from './read-affinity.interceptor';
import { ReadGroupSelector } from './read-group.service';
import { SessionService } from './session.service';
import { TenantResolver } from './tenant-resolver.service';
import { TenantsController } from './tenants.controller';

/** Read-your-writes sessions and tenant affinity (docs/design.md#sessions-tenants-and-idempotency), used by the read and write paths. */
@Global()
@Module({
  controllers: [TenantsController],
  providers: [SessionService, TenantResolver, ReadGroupSelector, { provide: APP_INTERCEPTOR, useClass: ReadAffinityInterceptor }],
  exports: [SessionService, TenantResolver, ReadGroupSelector],
})
export class AffinityModule {}
