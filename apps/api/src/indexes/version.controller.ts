import { Controller, Get } from '@nestjs/common';
import type { Version } from '@miroir/meili';
import { RequireAction } from '../auth/decorators';
import { NodePicker } from './node-picker.service';

/** GET /version: the Meilisearch version of a healthy node (docs/api-compatibility.md). */
@Controller('version')
export class VersionController {
  constructor(private readonly picker: NodePicker) {}

  @Get()
  @RequireAction('version')
  version(): Promise<Version> {
    return this.picker.readFromOne('the version', (c) => c.version());
  }
}
