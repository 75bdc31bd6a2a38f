import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { IndexVisibilityInterceptor } from './index-visibility.interceptor';
import { KeyDirectory } from './key-directory.service';

/**
 * Master/admin/API-key authentication (SPEC §7.4): the global AuthGuard, and the KeyDirectory the
 * `/keys` routes invalidate after a change (global so they can inject it without importing).
 */
@Global()
@Module({
  providers: [KeyDirectory, { provide: APP_GUARD, useClass: AuthGuard }, { provide: APP_INTERCEPTOR, useClass: IndexVisibilityInterceptor }],
  exports: [KeyDirectory],
})
export class AuthModule {}
