import { AsyncLocalStorage } from 'node:async_hooks';
import type { ReadGroupChoice } from './read-group.service';

/**
 * The read-group choice of the request being served. Choosing is asynchronous (a session lookup,
 * a `block` wait) while the read path plans synchronously, so the choice is made once, before the
 * handler, and carried through the request's async context.
 */
export const readAffinity = new AsyncLocalStorage<ReadGroupChoice>();
