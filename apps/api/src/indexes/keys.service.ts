import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@miroir/config';
import { isNodeHttpError, type CreateKeyRequest, type Key, type KeyList, type NodeClient, type UpdateKeyRequest } from '@miroir/meili';
import { KeyDirectory } from '../auth/key-directory.service';
import { NodeClientsService } from '../cluster/node-clients.service';
import { LOGGER } from '../infra/tokens';
import { NodePicker } from './node-picker.service';

/**
 * /keys (SPEC §7): every node must hold the same keys, so a key created through Miroir gets a uid
 * chosen here and is created with that uid on every node — Meilisearch derives a key's value from
 * its uid and the master key, and the nodes share the node master key, so every node ends with the
 * same value. The first node that answers validates the request (its 4xx is the client's answer);
 * the others follow. A node down at that moment misses the change (logged): keys are read from one
 * healthy node, so the cluster answers consistently while it is down.
 */
@Injectable()
export class KeysService {
  constructor(
    private readonly picker: NodePicker,
    private readonly clients: NodeClientsService,
    private readonly directory: KeyDirectory,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  list(offset: number, limit: number): Promise<KeyList> {
    return this.picker.readFromOne('the keys', (c) => c.listKeys({ offset, limit }));
  }

  get(keyOrUid: string): Promise<Key> {
    return this.picker.readFromOne('the key', (c) => c.getKey(keyOrUid));
  }

  async create(body: Record<string, unknown>): Promise<Key> {
    const request = { ...body, uid: body.uid ?? randomUUID() } as unknown as CreateKeyRequest;
    const { value: key, nodeId } = await this.onFirst('the key creation', (c) => c.createKey(request));
    await this.onOthers(nodeId, 'create', (c) =>
      c.createKey({ ...request, uid: key.uid }).catch((err: unknown) => {
        if (!isNodeHttpError(err, 'api_key_already_exists')) throw err;
      }),
    );
    return key;
  }

  async update(keyOrUid: string, patch: Record<string, unknown>): Promise<Key> {
    const { value: key, nodeId } = await this.onFirst('the key update', (c) => c.updateKey(keyOrUid, patch as UpdateKeyRequest));
    await this.onOthers(nodeId, 'update', (c) => c.updateKey(key.uid, patch as UpdateKeyRequest));
    return key;
  }

  async delete(keyOrUid: string): Promise<void> {
    const { value: key, nodeId } = await this.onFirst('the key deletion', (c) => c.getKey(keyOrUid));
    await this.clients.get(nodeId).deleteKey(key.uid);
    await this.onOthers(nodeId, 'delete', (c) =>
      c.deleteKey(key.uid).catch((err: unknown) => {
        if (!isNodeHttpError(err, 'api_key_not_found')) throw err;
      }),
    );
  }

  private async onFirst<T>(what: string, fn: (c: NodeClient) => Promise<T>): Promise<{ value: T; nodeId: string }> {
    let nodeId = '';
    const value = await this.picker.readFromOne(what, (c) => {
      nodeId = c.id;
      return fn(c);
    });
    return { value, nodeId };
  }

  private async onOthers(firstNodeId: string, op: string, fn: (c: NodeClient) => Promise<unknown>): Promise<void> {
    const others = this.picker.nodeIds(true).filter((id) => id !== firstNodeId);
    await Promise.all(
      others.map(async (id) => {
        try {
          await fn(this.clients.get(id));
        } catch (err) {
          // Node client errors never carry key values (paths under /keys/ are redacted).
          this.logger.warn({ node: id, op, err: (err as Error).message }, 'a node missed an API key change');
        }
      }),
    );
    this.directory.invalidate();
  }
}
