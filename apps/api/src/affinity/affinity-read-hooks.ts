import { Injectable } from '@nestjs/common';
import type { IndexRecord } from '@miroir/store';
import { MetricsService } from '../observability/metrics.service';
import { ReadHooks, type ReadContext } from '../search/read-hooks';
import { readAffinity } from './read-affinity.context';
import { ReadGroupSelector } from './read-group.service';

/** The read path's group seam, answered by sessions and tenant affinity (docs/design.md#sessions-tenants-and-idempotency). */
@Injectable()
export class AffinityReadHooks extends ReadHooks {
  constructor(
    private readonly selector: ReadGroupSelector,
    private readonly metrics: MetricsService,
  ) {
    super();
  }

  override pinnedGroup(_index: IndexRecord, _ctx: ReadContext, seq: number): number | undefined {
    const choice = readAffinity.getStore();
    let group = choice?.group;
    if (group === undefined) {
      // Untagged: the read path's own affinity sequence, over the groups shared traffic may use.
      const pool = this.selector.sharedGroups();
      group = pool[seq % pool.length]!;
    }
    this.metrics.readRouted({ group, reason: choice?.reason ?? 'shared', tenant: choice?.tenant });
    return group;
  }
}
