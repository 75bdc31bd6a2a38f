import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { RequireAction } from '../auth/decorators';
import { parseKeyListQuery, readKeyBody, type KeyListQuery } from './key-request';
import type { KeyView } from './key-view';
import { KeysService, type KeyList } from './keys.service';

/** /keys, answered by Miroir from Postgres (docs/architecture.md, "API keys"). */
@Controller('keys')
export class KeysController {
  constructor(private readonly keys: KeysService) {}

  @Get()
  @RequireAction('keys.get')
  list(@Query() query: KeyListQuery): Promise<KeyList> {
    const { offset, limit } = parseKeyListQuery(query);
    return this.keys.list(offset, limit);
  }

  @Get(':key')
  @RequireAction('keys.get')
  get(@Param('key') key: string): Promise<KeyView> {
    return this.keys.get(key);
  }

  @Post()
  @HttpCode(201)
  @RequireAction('keys.create')
  create(@Headers('content-type') contentType: string | undefined, @Body() body: Buffer): Promise<KeyView> {
    return this.keys.create(readKeyBody(contentType, body));
  }

  @Patch(':key')
  @RequireAction('keys.update')
  update(@Param('key') key: string, @Headers('content-type') contentType: string | undefined, @Body() body: Buffer): Promise<KeyView> {
    return this.keys.update(key, readKeyBody(contentType, body));
  }

  @Delete(':key')
  @HttpCode(204)
  @RequireAction('keys.delete')
  async delete(@Param('key') key: string): Promise<void> {
    await this.keys.delete(key);
  }
}
