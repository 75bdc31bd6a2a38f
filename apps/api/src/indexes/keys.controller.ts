import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { Key, KeyList } from '@miroir/meili';
import { RequireAction } from '../auth/decorators';
import { parseJsonObject } from '../http/json-body';
import { KeysService } from './keys.service';
import { checkQueryKeys, intParam, type QueryParams } from './query-params';

/** /keys, broadcast to every node (validation is the nodes': they are Meilisearch). */
@Controller('keys')
export class KeysController {
  constructor(private readonly keys: KeysService) {}

  @Get()
  @RequireAction('keys.get')
  list(@Query() query: QueryParams): Promise<KeyList> {
    checkQueryKeys(query, ['offset', 'limit']);
    return this.keys.list(intParam(query, 'offset', 'invalid_api_key_offset', 0), intParam(query, 'limit', 'invalid_api_key_limit', 20));
  }

  @Get(':key')
  @RequireAction('keys.get')
  get(@Param('key') key: string): Promise<Key> {
    return this.keys.get(key);
  }

  @Post()
  @HttpCode(201)
  @RequireAction('keys.create')
  create(@Body() body: Buffer): Promise<Key> {
    return this.keys.create(parseJsonObject(body, { allowEmpty: false }));
  }

  @Patch(':key')
  @RequireAction('keys.update')
  update(@Param('key') key: string, @Body() body: Buffer): Promise<Key> {
    return this.keys.update(key, parseJsonObject(body, { allowEmpty: false }));
  }

  @Delete(':key')
  @HttpCode(204)
  @RequireAction('keys.delete')
  async delete(@Param('key') key: string): Promise<void> {
    await this.keys.delete(key);
  }
}
