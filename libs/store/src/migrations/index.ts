import { InitialSchema1763800000000 } from './1763800000000-initial-schema';
import { IdempotencyReplay1763800300000 } from './1763800300000-idempotency-replay';

/** Every migration, in order. Listed as classes (not globs) so they load from ts and from dist. */
export const MIGRATIONS = [InitialSchema1763800000000, IdempotencyReplay1763800300000];
