import { InitialSchema1763800000000 } from './1763800000000-initial-schema';

/** Every migration, in order. Listed as classes (not globs) so they load from ts and from dist. */
export const MIGRATIONS = [InitialSchema1763800000000];
