// One node for a test, of the run's kind: a real Meilisearch when the run has a binary (see
// global-setup), else the dev node. Asking for `faults` always gives the dev node, the only one
// with the /_sim routes.
import { startDevNode, type DevNode, type DevNodeOptions } from '@miroir/embedded/dev-node';
import { meilisearchBin } from './stack';

export function startTestNode(opts: Omit<DevNodeOptions, 'bin'>): Promise<DevNode> {
  return startDevNode({ startTimeoutMs: 60_000, ...opts, bin: opts.faults ? undefined : meilisearchBin() });
}
