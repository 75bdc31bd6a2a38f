import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { LoadedConfig } from '@miroir/config';
import { deleteApiKey, findApiKey, insertApiKey, listApiKeysPage, updateApiKey } from '@miroir/store';
import { KeyDirectory } from '../auth/key-directory.service';
import { DATA_SOURCE, LOADED_CONFIG } from '../infra/tokens';
import { parseCreateKey, parsePatchKey } from './key-body';
import { keyErrors } from './key-errors';
import { parseKeyUid } from './key-uid';
import { keyView, type KeyView } from './key-view';

export interface KeyList {
  results: KeyView[];
  offset: number;
  limit: number;
  total: number;
}

/**
 * /keys (docs/architecture.md, "API keys"): Miroir owns the keys, in Postgres; nodes never see
 * them. A key's value is derived, never stored. Each change notifies every API pod (see
 * KeyDirectory) and this pod reloads before answering, so the client can use the key at once.
 */
@Injectable()
export class KeysService {
  private readonly masterKey: string;

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(LOADED_CONFIG) loaded: LoadedConfig,
    private readonly directory: KeyDirectory,
  ) {
    // The guard refuses every /keys route when no master key is configured (missing_master_key).
    this.masterKey = loaded.secrets.masterKey ?? '';
  }

  async list(offset: number, limit: number): Promise<KeyList> {
    const page = await listApiKeysPage(this.ds, offset, limit);
    return { results: page.results.map((k) => keyView(k, this.masterKey)), offset, limit, total: page.total };
  }

  async get(keyOrUid: string): Promise<KeyView> {
    const uid = await this.resolve(keyOrUid);
    const key = await findApiKey(this.ds, uid);
    if (!key) throw keyErrors.notFound(uid);
    return keyView(key, this.masterKey);
  }

  async create(body: unknown): Promise<KeyView> {
    const input = parseCreateKey(body, Date.now(), randomUUID);
    const created = await insertApiKey(this.ds, input);
    if (!created) throw keyErrors.alreadyExists(input.uid);
    await this.directory.refresh();
    return keyView(created, this.masterKey);
  }

  /** The body is checked before the key is looked up, as Meilisearch does. */
  async update(keyOrUid: string, body: unknown): Promise<KeyView> {
    const patch = parsePatchKey(body);
    const uid = await this.resolve(keyOrUid);
    const updated = await updateApiKey(this.ds, uid, patch);
    if (!updated) throw keyErrors.notFound(uid);
    await this.directory.refresh();
    return keyView(updated, this.masterKey);
  }

  async delete(keyOrUid: string): Promise<void> {
    const uid = await this.resolve(keyOrUid);
    if (!(await deleteApiKey(this.ds, uid))) throw keyErrors.notFound(uid);
    await this.directory.refresh();
  }

  /**
   * `/keys/{key}` takes a uid (in any form Meilisearch reads) or a key value. A uid is answered in
   * its canonical form when not found; anything else is looked up as a value and echoed as sent.
   */
  private async resolve(keyOrUid: string): Promise<string> {
    const parsed = parseKeyUid(keyOrUid);
    if ('uid' in parsed) return parsed.uid;
    const known = await this.directory.findByValue(keyOrUid);
    if (!known) throw keyErrors.notFound(keyOrUid);
    return known.uid;
  }
}
