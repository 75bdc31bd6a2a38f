import { slowNodeScenario } from './scenarios/slow-node';

jest.setTimeout(300_000);

describe('chaos: one node slowed by 500 ms (fault injection)', () => {
  it('every search answers 200 with the same hits and totals as before and no degraded header; the slow node is asked every time (latency bounded by the slow shard, logged)', () =>
    slowNodeScenario({ docs: 600, rounds: 10 }));
});
