import { SetMetadata } from '@nestjs/common';

// Route metadata read by the global AuthGuard (apps/api/src/auth/auth.guard.ts).

export const PUBLIC_ROUTE = 'miroir:public';
export const ADMIN_ROUTE = 'miroir:admin';
export const REQUIRED_ACTION = 'miroir:action';

/** No key needed (Meilisearch's /health). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** `/_miroir/*`: the admin key (X-Admin-Key header or Bearer), never a client key. */
export const AdminOnly = (): MethodDecorator & ClassDecorator => SetMetadata(ADMIN_ROUTE, true);

/**
 * The Meilisearch API-key action this route needs, e.g. 'search', 'documents.add',
 * 'documents.get', 'documents.delete', 'indexes.create', 'indexes.get', 'indexes.update',
 * 'indexes.delete', 'tasks.get', 'settings.get', 'settings.update', 'stats.get', 'keys.get',
 * 'keys.create', 'keys.update', 'keys.delete', 'version'. The master key may do everything; an API
 * key only what its `actions` and `indexes` allow (the index comes from the `:uid` route param).
 */
export const RequireAction = (action: string): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ACTION, action);
