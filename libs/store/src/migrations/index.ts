import { InitialSchema1763800000000 } from './1763800000000-initial-schema';
import { IdempotencyReplay1763800300000 } from './1763800300000-idempotency-replay';
import { IndexSettingsState1763800400000 } from './1763800400000-index-settings-state';
import { ShardMigrations1763800600000 } from './1763800600000-shard-migrations';
import { TasksPendingIndex1763800750000 } from './1763800750000-tasks-pending-index';
import { IndexSearchableFields1763800900000 } from './1763800900000-index-searchable-fields';
import { CdcOutboxFilter1763801000000 } from './1763801000000-cdc-outbox-filter';
import { ApiKeys1763801100000 } from './1763801100000-api-keys';
import { TaskCustomMetadata1763801200000 } from './1763801200000-task-custom-metadata';
import { TaskDispatched1763801300000 } from './1763801300000-task-dispatched';

/** Every migration, in order. Listed as classes (not globs) so they load from ts and from dist. */
export const MIGRATIONS = [InitialSchema1763800000000, IdempotencyReplay1763800300000, IndexSettingsState1763800400000, ShardMigrations1763800600000, TasksPendingIndex1763800750000, IndexSearchableFields1763800900000, CdcOutboxFilter1763801000000, ApiKeys1763801100000, TaskCustomMetadata1763801200000, TaskDispatched1763801300000];
