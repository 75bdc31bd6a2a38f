import { slowNodeScenario } from './scenarios/slow-node';

jest.setTimeout(300_000);

describe('chaos: one node slowed by 500 ms (a TCP proxy in front of it)', () => {
  it('every search answers 200 with the same hits and totals as before and no degraded header; the slow node shards are in every answer (latency bounded by the slow shard, logged)', () =>
    slowNodeScenario({ docs: 600, rounds: 10 }));
});
