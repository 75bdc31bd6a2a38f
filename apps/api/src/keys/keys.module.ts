import { Module } from '@nestjs/common';
import { KeysController } from './keys.controller';
import { KeysService } from './keys.service';

/** The /keys routes. The KeyDirectory they refresh is the AuthModule's (global). */
@Module({
  controllers: [KeysController],
  providers: [KeysService],
})
export class KeysModule {}
