import { twoNodesDownScenario } from './scenarios/two-nodes-down';

jest.setTimeout(300_000);

describe('chaos: two of three nodes down (RF=2)', () => {
  it('policy partial: 200 from the covered shards with X-Miroir-Degraded naming exactly the uncovered shards; complete again after the nodes return', () =>
    twoNodesDownScenario({ policy: 'partial', docs: 600, probes: 10 }));
  it('policy error: 503 miroir_shard_unavailable on every search while shards are uncovered; complete again after the nodes return', () =>
    twoNodesDownScenario({ policy: 'error', docs: 600, probes: 10 }));
});
