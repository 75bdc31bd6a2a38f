import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Logger } from '@miroir/config';
import { isTerminal } from '@miroir/core';
import { isNodeUnavailable } from '@miroir/meili';
import { findTask } from '@miroir/store';
import { indexAllowed } from '../auth/permissions';
import { NodeClientsService } from '../cluster/node-clients.service';
import { errors } from '../errors/catalog';
import { MeiliError } from '../errors/meili-error';
import { NodePicker } from '../indexes/node-picker.service';
import { DATA_SOURCE, LOGGER } from '../infra/tokens';
import { nodeTasksOf } from './node-task';
import { taskErrors } from './task-errors';
import { parseTaskUid } from './task-query';
import { concatDocuments, mergeNodePayloads, parseDocumentStream, type NodePayload } from './task-payload';
import { TaskRefresher } from './task-refresher.service';

/**
 * GET /tasks/{uid}/documents (experimental on Meilisearch 1.50: the `getTaskDocumentsRoute`
 * feature). Miroir keeps no payload: the documents of a pending addition are read back from the
 * node tasks it caused, while the nodes still hold them (until they process them), one copy each.
 */
@Injectable()
export class TaskDocumentsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly refresher: TaskRefresher,
    private readonly picker: NodePicker,
    private readonly clients: NodeClientsService,
  ) {}

  /** The documents as Meilisearch answers them (see concatDocuments). `scope`: an index-restricted key's index patterns. */
  async documents(rawUid: string, scope: readonly string[] | null): Promise<string> {
    await this.assertFeatureEnabled();
    const uid = parseTaskUid(rawUid);
    const task = await findTask(this.ds, uid);
    if (!task || (scope !== null && (task.indexUid === null || !indexAllowed(scope, task.indexUid)))) throw errors.taskNotFound(uid);
    await this.refresher.refresh([task]);
    if (task.type !== 'documentAdditionOrUpdate' || isTerminal(task.status)) throw taskErrors.taskFileNotFound(uid);
    const pending = nodeTasksOf(task).filter((nt) => nt.status === undefined || !isTerminal(nt.status));
    const payloads = await Promise.all(pending.map((nt) => this.nodePayload(nt.nodeId, nt.taskUid)));
    // Every node processed its part since the task was read: the documents are gone, as on Meilisearch.
    if (payloads.every((p) => p === null)) throw taskErrors.taskFileNotFound(uid);
    return concatDocuments(mergeNodePayloads(payloads.filter((p): p is NodePayload => p !== null)));
  }

  /**
   * Experimental features are the nodes' own (PATCH /experimental-features is broadcast), so the
   * route is open when a node says the feature is on. Checked first, as Meilisearch does.
   */
  private async assertFeatureEnabled(): Promise<void> {
    const features = await this.picker.readFromOne('the experimental features', (c) => c.getExperimentalFeatures());
    if (features?.getTaskDocumentsRoute !== true) throw taskErrors.taskDocumentsFeatureNotEnabled();
  }

  /**
   * One node task's documents; null when the node processed its task meanwhile (404). A node that
   * cannot be reached gives none: other replicas of its shards may still hold them.
   */
  private async nodePayload(nodeId: string, taskUid: number): Promise<NodePayload | null> {
    try {
      const res = await this.clients.get(nodeId).taskDocuments(taskUid, { timeoutMs: 10_000 });
      if (res.status === 200) return { nodeId, documents: parseDocumentStream(res.body) };
      if (res.status === 404) return null;
      throw MeiliError.fromNode(res.status, parseError(res.body));
    } catch (err) {
      if (!isNodeUnavailable(err)) throw err;
      this.logger.warn({ node: nodeId, err: err.message }, 'node could not give the documents of a task');
      return { nodeId, documents: [] };
    }
  }
}

function parseError(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString());
  } catch {
    return undefined;
  }
}
