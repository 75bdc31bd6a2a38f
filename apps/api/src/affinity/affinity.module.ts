import { Global, Module } from '@nestjs/common';
import { ReadGroupSelector } from './read-group.service';
import { SessionService } from './session.service';
import { TenantResolver } from './tenant-resolver.service';
import { TenantsController } from './tenants.controller';

/** Read-your-writes sessions and tenant affinity (SPEC §10), used by the read and write paths. */
@Global()
@Module({
  controllers: [TenantsController],
  providers: [SessionService, TenantResolver, ReadGroupSelector],
  exports: [SessionService, TenantResolver, ReadGroupSelector],
})
export class AffinityModule {}
