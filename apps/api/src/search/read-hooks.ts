import { Injectable } from '@nestjs/common';
import type { IndexRecord } from '@miroir/store';

/** What a read knows about the client request beyond its parameters. */
export interface ReadContext {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export const NO_READ_CONTEXT: ReadContext = { headers: {} };

/**
 * Seams for the features that decide *where* a read may go without being the read path's
 * business: settings versions (X-Miroir-Min-Settings-Version / X-Miroir-Settings-Version, docs/settings-and-indexes.md),
 * tenant affinity and session pins (docs/design.md#sessions-tenants-and-idempotency). The defaults do nothing; a module that owns one of
 * those features provides a subclass in place of this class (`{ provide: ReadHooks, useClass: … }`).
 */
@Injectable()
export class ReadHooks {
  /**
   * The group this request reads from (tenant, session, shared pool); `seq` is the read path's
   * affinity sequence for spreading unpinned requests. undefined → `queryGroup(topology, seq)`.
   */
  pinnedGroup(_index: IndexRecord, _ctx: ReadContext, _seq: number): number | undefined {
    return undefined;
  }

  /**
   * Restricts the nodes that may serve this request (e.g. only nodes at or above the client's
   * minimum settings version); undefined → every healthy node. May throw a MeiliError
   * (miroir_settings_version_stale) when no node qualifies.
   */
  nodeFilter(_index: IndexRecord, _ctx: ReadContext): ((nodeId: string) => boolean) | undefined {
    return undefined;
  }

  /** Called with the nodes that answered; returns headers to add to the response. */
  responseHeaders(_index: IndexRecord, _nodeIds: readonly string[], _ctx: ReadContext): Record<string, string> {
    return {};
  }
}
