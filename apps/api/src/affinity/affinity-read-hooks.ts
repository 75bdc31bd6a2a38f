import { Injectable } from '@nestjs/common';
import type { IndexRecord } from '@miroir/store';
import { ReadHooks, type ReadContext } from '../search/read-hooks';
import { readAffinity } from './read-affinity.context';
import { ReadGroupSelector } from './read-group.service';

/** The read path's group seam, answered by sessions and tenant affinity (SPEC §10). */
@Injectable()
export class AffinityReadHooks extends ReadHooks {
  constructor(private readonly selector: ReadGroupSelector) {
    super();
  }

  override pinnedGroup(_index: IndexRecord, _ctx: ReadContext, seq: number): number | undefined {
    const choice = readAffinity.getStore();
    if (choice?.group !== undefined) return choice.group;
    // Untagged: the read path's own affinity sequence, over the groups shared traffic may use.
    const pool = this.selector.sharedGroups();
    return pool[seq % pool.length];
  }
}
