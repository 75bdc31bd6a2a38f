import { slowNodeScenario } from '../../chaos/scenarios/slow-node';
import { twoNodesDownScenario } from '../../chaos/scenarios/two-nodes-down';

// The two cheapest chaos scenarios at small sizes, inside `npm test`; the full set runs with
// `npm run test:chaos` (test/chaos/).
jest.setTimeout(300_000);

describe('chaos (short)', () => {
  it('one node slowed by 500 ms: searches complete, identical to before, no errors, no degraded header', () => slowNodeScenario({ docs: 150, rounds: 3 }));
  it('two of three nodes down, policy partial: 200 with X-Miroir-Degraded naming exactly the uncovered shards; whole again after restart', () =>
    twoNodesDownScenario({ policy: 'partial', docs: 150, probes: 4 }));
});
