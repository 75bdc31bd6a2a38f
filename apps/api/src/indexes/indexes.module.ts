import { Module } from '@nestjs/common';

/** Index lifecycle, settings, keys and version (SPEC §7, §9). */
@Module({})
export class IndexesModule {}
