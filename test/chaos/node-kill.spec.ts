import { nodeKillScenario } from './scenarios/node-kill';

jest.setTimeout(300_000);

describe('chaos: node kill -9 with RF=2 under read+write load', () => {
  it('reads stay complete (200, whole seed set, no degraded header), writes follow write_quorum=majority (503 miroir_no_quorum exactly for shards owned by the dead node, 202 otherwise), no acknowledged write lost', () =>
    nodeKillScenario({ seedDocs: 500, phaseMs: 5_000 }));
});
