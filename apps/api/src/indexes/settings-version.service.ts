import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CHANNELS } from '@miroir/store';
import { ChangeFeed } from '../cluster/change-feed.service';
import { IndexRegistry } from '../cluster/index-registry.service';
import { errors } from '../errors/catalog';
import { DATA_SOURCE } from '../infra/tokens';

export const SETTINGS_VERSION_HEADER = 'X-Miroir-Settings-Version';
export const SETTINGS_INCONSISTENT_HEADER = 'X-Miroir-Settings-Inconsistent';
export const MIN_SETTINGS_VERSION_HEADER = 'x-miroir-min-settings-version';

interface BroadcastState {
  inFlight: boolean;
  frozenReason: string | null;
}

const IDLE: BroadcastState = { inFlight: false, frozenReason: null };

/**
 * The settings version an index is at and whether a settings change is under way (docs/settings-and-indexes.md), for
 * every route that touches an index. The committed version lives on the index row (IndexRegistry);
 * the in-flight and frozen flags in `index_settings_state`, cached here and reloaded on the same
 * NOTIFY that announces index changes (the settings workflow notifies at each step).
 */
@Injectable()
export class SettingsVersionService implements OnModuleInit {
  private states = new Map<string, BroadcastState>();

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly registry: IndexRegistry,
    private readonly feed: ChangeFeed,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reloadAll();
    this.feed.on(CHANNELS.indexes, (uid) => void (uid ? this.reloadOne(uid) : this.reloadAll()).catch(() => undefined));
    this.feed.onReconnect(() => void this.reloadAll().catch(() => undefined));
  }

  /** The committed settings version (0 before any change through Miroir). */
  async version(indexUid: string): Promise<number> {
    return (await this.registry.find(indexUid))?.settingsVersion ?? 0;
  }

  /** True while a settings change is accepted but not yet committed on every node. */
  inFlight(indexUid: string): boolean {
    return (this.states.get(indexUid) ?? IDLE).inFlight;
  }

  /** Why writes to this index are frozen (a settings change that did not converge), or null. */
  frozenReason(indexUid: string): string | null {
    return (this.states.get(indexUid) ?? IDLE).frozenReason;
  }

  /**
   * Response headers for a request on this index: the committed version once there is one, and
   * the inconsistency flag while nodes may disagree (change in flight, or frozen after one).
   */
  async headersFor(indexUid: string): Promise<Record<string, string>> {
    const headers: Record<string, string> = {};
    const version = await this.version(indexUid);
    if (version > 0) headers[SETTINGS_VERSION_HEADER] = String(version);
    if (this.inFlight(indexUid) || this.frozenReason(indexUid) !== null) headers[SETTINGS_INCONSISTENT_HEADER] = 'true';
    return headers;
  }

  /**
   * X-Miroir-Min-Settings-Version: answer only at or above the client's version, else 503
   * miroir_settings_version_stale. A cached version below it is re-read once from Postgres first
   * (the commit's NOTIFY may not have arrived yet).
   */
  async assertAtLeast(indexUid: string, wanted: number): Promise<void> {
    if ((await this.version(indexUid)) >= wanted) return;
    const fresh = (await this.registry.reloadOne(indexUid))?.settingsVersion ?? 0;
    if (fresh < wanted) throw errors.settingsVersionStale(wanted, fresh);
  }

  /** Refuses document writes while the index is frozen (docs/design.md#workflows settingsBroadcast). */
  assertWritable(indexUid: string): void {
    const reason = this.frozenReason(indexUid);
    if (reason !== null) throw errors.settingsFrozen(indexUid, reason);
  }

  /** Marks a change accepted (before its workflow is signalled), so reads flag it at once. */
  async markAccepted(indexUid: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO index_settings_state (index_uid, in_flight_since) SELECT uid, now() FROM indexes WHERE uid = $1
       ON CONFLICT (index_uid) DO UPDATE SET in_flight_since = COALESCE(index_settings_state.in_flight_since, now()), updated_at = now()`,
      [indexUid],
    );
    this.states.set(indexUid, { ...(this.states.get(indexUid) ?? IDLE), inFlight: true });
  }

  private async reloadOne(uid: string): Promise<void> {
    const rows: Array<{ in_flight_since: Date | null; frozen_reason: string | null }> = await this.ds.query(
      `SELECT in_flight_since, frozen_reason FROM index_settings_state WHERE index_uid = $1`,
      [uid],
    );
    const row = rows[0];
    if (row) this.states.set(uid, { inFlight: row.in_flight_since !== null, frozenReason: row.frozen_reason });
    else this.states.delete(uid);
  }

  private async reloadAll(): Promise<void> {
    const rows: Array<{ index_uid: string; in_flight_since: Date | null; frozen_reason: string | null }> = await this.ds.query(
      `SELECT index_uid, in_flight_since, frozen_reason FROM index_settings_state WHERE in_flight_since IS NOT NULL OR frozen_reason IS NOT NULL`,
    );
    this.states = new Map(rows.map((r) => [r.index_uid, { inFlight: r.in_flight_since !== null, frozenReason: r.frozen_reason }]));
  }
}
