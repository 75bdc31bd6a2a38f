import { Module } from '@nestjs/common';
import { NodeAdminService } from './node-admin.service';
import { RebalanceAdminService } from './rebalance-admin.service';
import { TopologyAdminController } from './topology-admin.controller';

/** Node add/drain/remove and rebalance control (docs/design.md#admin-api). */
@Module({
  controllers: [TopologyAdminController],
  providers: [NodeAdminService, RebalanceAdminService],
})
export class TopologyAdminModule {}
