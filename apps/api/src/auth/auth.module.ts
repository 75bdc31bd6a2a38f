import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { IndexVisibilityInterceptor } from './index-visibility.interceptor';
import { KeyDirectory } from './key-directory.service';

/**
 * Master/admin/API-key authentication (docs/design.md#authentication-and-api-keys): the global AuthGuard, and the KeyDirectory (the
 * API keys held in memory) that the `/keys` routes refresh after a change (global so they can
 * inject it without importing).
 */
@Global()
@Module({
  providers: [KeyDirectory, { provide: APP_GUARD, useClass: AuthGuard }, { provide: APP_INTERCEPTOR, useClass: IndexVisibilityInterceptor }],
  exports: [KeyDirectory],
})
export class AuthModule {}
