import { Body, Controller, Get, Patch } from '@nestjs/common';
import { RequireAction } from '../auth/decorators';
import { parseJsonObject } from '../http/json-body';
import { ExperimentalFeaturesService, type ExperimentalFeatures } from './experimental-features.service';

/** GET|PATCH /experimental-features, as on Meilisearch: the same flags on every node. */
@Controller('experimental-features')
export class ExperimentalFeaturesController {
  constructor(private readonly features: ExperimentalFeaturesService) {}

  @Get()
  @RequireAction('experimental.get')
  get(): Promise<ExperimentalFeatures> {
    return this.features.get();
  }

  @Patch()
  @RequireAction('experimental.update')
  update(@Body() body: Buffer | undefined): Promise<ExperimentalFeatures> {
    return this.features.update(parseJsonObject(body, { allowEmpty: false }));
  }
}
