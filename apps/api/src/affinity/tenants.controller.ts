import { createHash } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { TenantRecord } from '@miroir/store';
import { AdminOnly } from '../auth/decorators';
import { MeiliError } from '../errors/meili-error';
import { parseJsonObject } from '../http/json-body';
import { DATA_SOURCE } from '../infra/tokens';
import { TopologyService } from '../cluster/topology.service';
import { TenantResolver } from './tenant-resolver.service';

const tenantBody = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'tenant ids are 1 to 128 letters, digits and _ . : -'),
  group: z.number().int().min(0).nullable().optional(),
  /** The API key that identifies the tenant in `api_key` mode; only its SHA-256 is stored. */
  apiKey: z.string().min(1).max(1024).optional(),
});

interface TenantView {
  id: string;
  group: number | null;
  hasApiKey: boolean;
  createdAt: string;
}

const view = (t: TenantRecord): TenantView => ({ id: t.id, group: t.group, hasApiKey: t.apiKeyHash !== null, createdAt: t.createdAt.toISOString() });

/** `POST|GET|DELETE /_miroir/tenants` (docs/design.md#admin-api): the tenant → group map of tenant affinity. */
@AdminOnly()
@Controller('_miroir/tenants')
export class TenantsController {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly topology: TopologyService,
    private readonly resolver: TenantResolver,
  ) {}

  @Post()
  @HttpCode(201)
  async upsert(@Body() body: Buffer): Promise<TenantView> {
    const parsed = tenantBody.safeParse(parseJsonObject(body, { allowEmpty: false }));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new MeiliError('miroir_invalid_tenant', `Invalid tenant: ${issue.path.join('.') || 'body'}: ${issue.message}`, 400);
    }
    const { id, group, apiKey } = parsed.data;
    if (group !== undefined && group !== null && group >= this.topology.topology().groups) {
      throw new MeiliError('miroir_invalid_tenant', `Invalid tenant: group ${group} does not exist.`, 400);
    }
    const repo = this.ds.getRepository(TenantRecord);
    await repo.upsert(
      { id, group: group ?? null, apiKeyHash: apiKey ? createHash('sha256').update(apiKey).digest() : null },
      { conflictPaths: ['id'] },
    );
    this.resolver.invalidate();
    return view(await repo.findOneByOrFail({ id }));
  }

  @Get()
  async list(): Promise<{ results: TenantView[] }> {
    const rows = await this.ds.getRepository(TenantRecord).find({ order: { id: 'ASC' } });
    return { results: rows.map(view) };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    const res = await this.ds.getRepository(TenantRecord).delete({ id });
    if (!res.affected) throw new MeiliError('miroir_tenant_not_found', `Tenant \`${id}\` not found.`, 404);
    this.resolver.invalidate();
  }
}
