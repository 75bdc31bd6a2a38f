import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@miroir/config';
import { compareIds } from '@miroir/core';
import { isNodeHttpError } from '@miroir/meili';
import { NodeClientsService } from '../cluster/node-clients.service';
import { errors } from '../errors/catalog';
import { MeiliError } from '../errors/meili-error';
import { NodePicker } from '../indexes/node-picker.service';
import { LOGGER } from '../infra/tokens';

export type ExperimentalFeatures = Record<string, unknown>;

/** How Meilisearch 1.50 names a feature in its `feature_not_enabled` message. */
const FEATURE_NAMES = {
  editDocumentsByFunction: { name: 'edit documents by function', route: 'the documents edit route', discussion: 762 },
} as const;

/**
 * /experimental-features: a node-wide setting, so every node must carry the same flags. Reads come
 * from one node; a change is sent to every member (joining nodes included) and validated by the
 * nodes themselves — they are Meilisearch and know which flags their version has. A node that joins
 * later receives the flags of a source node when the first shard is copied to it; a node that was
 * down during a change keeps its old flags until the change is sent again (docs/api-compatibility.md,
 * "Instance", /experimental-features).
 */
@Injectable()
export class ExperimentalFeaturesService {
  constructor(
    private readonly picker: NodePicker,
    private readonly clients: NodeClientsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get(): Promise<ExperimentalFeatures> {
    return this.picker.readFromOne('the experimental features', (c) => c.getExperimentalFeatures());
  }

  /**
   * Refuses a request that needs a feature no node has on, as Meilisearch does. Asked of one node
   * per request: the routes that need it (edit by function) are rare writes.
   */
  async assertEnabled(feature: keyof typeof FEATURE_NAMES): Promise<void> {
    const flags = await this.get();
    if (flags[feature] === true) return;
    const { name, route, discussion } = FEATURE_NAMES[feature];
    throw new MeiliError(
      'feature_not_enabled',
      `Using ${route} requires enabling the \`${name}\` experimental feature. See https://github.com/orgs/meilisearch/discussions/${discussion}`,
      400,
    );
  }

  async update(patch: Record<string, unknown>): Promise<ExperimentalFeatures> {
    const ids = this.picker.nodeIds(true).sort(compareIds);
    const answers = await Promise.allSettled(ids.map((id) => this.clients.get(id).updateExperimentalFeatures(patch)));
    const accepted = answers.findIndex((a) => a.status === 'fulfilled');
    const refusals: MeiliError[] = [];
    answers.forEach((a, i) => {
      if (a.status === 'fulfilled') return;
      const err: unknown = a.reason;
      if (isNodeHttpError(err) && err.status < 500 && err.status !== 401 && err.status !== 403) refusals.push(MeiliError.fromNode(err.status, err.toMeiliError()));
      else this.logger.warn({ node: ids[i], err: (err as Error).message }, 'a node missed an experimental features change');
    });
    if (accepted >= 0) {
      if (refusals.length > 0) this.logger.warn({ refused: refusals.length }, 'some nodes refused an experimental features change others took');
      return (answers[accepted] as PromiseFulfilledResult<ExperimentalFeatures>).value;
    }
    // Every node that answered refused it: the request is at fault, as a single node would say.
    if (refusals.length > 0) throw refusals[0]!;
    throw errors.nodeUnavailable('the experimental features change');
  }
}
