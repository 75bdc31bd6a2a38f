import { Module } from '@nestjs/common';

/** Master/admin/API-key authentication (SPEC §7.4). */
@Module({})
export class AuthModule {}
