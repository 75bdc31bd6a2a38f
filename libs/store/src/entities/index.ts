import { AliasHistoryRecord, AliasRecord } from './alias.entity';
import { ApiKeyRecord } from './api-key.entity';
import { CanaryRecord, CanaryRunRecord } from './canary.entity';
import { CdcCursorRecord, CdcEventRecord, CdcSinkRecord } from './cdc.entity';
import { IdempotencyKeyRecord } from './idempotency-key.entity';
import { IndexRecord } from './index-record.entity';
import { NodeRecord } from './node.entity';
import { RolloverPolicyRecord } from './rollover-policy.entity';
import { SessionRecord } from './session.entity';
import { ShardMigrationRecord } from './shard-migration.entity';
import { TaskRecord } from './task.entity';
import { TenantRecord } from './tenant.entity';
import { TopologyRecord } from './topology.entity';

export * from './alias.entity';
export * from './api-key.entity';
export * from './canary.entity';
export * from './cdc.entity';
export * from './idempotency-key.entity';
export * from './index-record.entity';
export * from './node.entity';
export * from './rollover-policy.entity';
export * from './session.entity';
export * from './shard-migration.entity';
export * from './task.entity';
export * from './tenant.entity';
export * from './topology.entity';

export const ENTITIES = [
  IndexRecord,
  TopologyRecord,
  NodeRecord,
  TaskRecord,
  AliasRecord,
  AliasHistoryRecord,
  TenantRecord,
  SessionRecord,
  IdempotencyKeyRecord,
  CanaryRecord,
  CanaryRunRecord,
  RolloverPolicyRecord,
  CdcEventRecord,
  CdcSinkRecord,
  CdcCursorRecord,
  ShardMigrationRecord,
  ApiKeyRecord,
];
