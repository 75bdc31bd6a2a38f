import { Inject, Injectable } from '@nestjs/common';
import { visibleFilterablePatterns, type FacetingOptions } from '@miroir/core';
import type { Logger } from '@miroir/config';
import type { IndexRecord } from '@miroir/store';
import { HealthMonitor } from '../cluster/health-monitor.service';
import { NodeClientsService } from '../cluster/node-clients.service';
import { TopologyService } from '../cluster/topology.service';
import { LOGGER } from '../infra/tokens';

/**
 * The index settings a search needs: nodes cap facets and hits per node, the merge re-caps;
 * whether every field is searchable (then the search names the fields, see
 * nodeAttributesToSearchOn); the distinct attribute, applied again across nodes by the merge;
 * the filterable attribute patterns the client sees (for errors about reserved attributes).
 */
export interface ReadSettings {
  readonly faceting: FacetingOptions;
  readonly maxTotalHits: number;
  readonly searchableAll: boolean;
  readonly distinctAttribute: string | null;
  readonly filterable: readonly string[];
}

export const DEFAULT_READ_SETTINGS: ReadSettings = { faceting: { maxValuesPerFacet: 100 }, maxTotalHits: 1000, searchableAll: true, distinctAttribute: null, filterable: [] };

interface Entry {
  readonly version: number;
  readonly fetchedAt: number;
  readonly value: Promise<ReadSettings>;
}

/**
 * Per-index faceting, pagination, searchable, distinct and filterable settings, read from one node and cached
 * per settings version (bumped by each committed settings change), with a short TTL as a safety
 * net. A failed read falls back to Meilisearch's defaults without caching, so a search never fails
 * because of it.
 */
@Injectable()
export class IndexReadSettings {
  private static readonly TTL_MS = 10_000;
  private readonly cache = new Map<string, Entry>();

  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly topology: TopologyService,
    private readonly clients: NodeClientsService,
    private readonly health: HealthMonitor,
  ) {}

  get(index: IndexRecord): Promise<ReadSettings> {
    const hit = this.cache.get(index.uid);
    if (hit && hit.version === index.settingsVersion && Date.now() - hit.fetchedAt < IndexReadSettings.TTL_MS) return hit.value;
    const value = this.fetch(index);
    this.cache.set(index.uid, { version: index.settingsVersion, fetchedAt: Date.now(), value });
    value.catch(() => undefined);
    return value;
  }

  private async fetch(index: IndexRecord): Promise<ReadSettings> {
    const nodes = [...this.topology.table(index).nodes.keys()].filter((id) => this.health.isHealthy(id));
    for (const id of nodes) {
      try {
        const s = await this.clients.get(id).getSettings(index.uid, { timeoutMs: 2_000 });
        return toReadSettings(s);
      } catch (err) {
        this.logger.debug({ node: id, index: index.uid, err: (err as Error).message }, 'settings read for merge failed; trying another node');
      }
    }
    this.cache.delete(index.uid);
    return DEFAULT_READ_SETTINGS;
  }
}

function toReadSettings(settings: Record<string, unknown>): ReadSettings {
  const faceting = (settings['faceting'] ?? {}) as { maxValuesPerFacet?: unknown; sortFacetValuesBy?: unknown };
  const pagination = (settings['pagination'] ?? {}) as { maxTotalHits?: unknown };
  const searchable = settings['searchableAttributes'];
  const maxValuesPerFacet = typeof faceting.maxValuesPerFacet === 'number' ? faceting.maxValuesPerFacet : 100;
  const sortBy = faceting.sortFacetValuesBy;
  return {
    faceting: {
      maxValuesPerFacet,
      ...(typeof sortBy === 'object' && sortBy !== null ? { sortFacetValuesBy: sortBy as Record<string, 'alpha' | 'count'> } : {}),
    },
    maxTotalHits: typeof pagination.maxTotalHits === 'number' ? pagination.maxTotalHits : 1000,
    searchableAll: !Array.isArray(searchable) || searchable.includes('*'),
    distinctAttribute: typeof settings['distinctAttribute'] === 'string' ? settings['distinctAttribute'] : null,
    filterable: visibleFilterablePatterns(settings['filterableAttributes']),
  };
}
