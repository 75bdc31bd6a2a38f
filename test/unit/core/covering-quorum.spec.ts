import fc from 'fast-check';
import { NodeState, Topology, buildShardTable, coveringSet, evaluateQuorum, readDegradedHeader, requiredAcks, withShardFilter } from '@miroir/core';

function topology(groups: number, perGroup: number, rf: number, failed: string[] = []): Topology {
  const nodes = [];
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < perGroup; i++) {
      const id = `g${g}n${i}`;
      nodes.push({ id, address: '', group: g, state: (failed.includes(id) ? 'failed' : 'active') as NodeState });
    }
  }
  return { version: 1, replicationFactor: rf, groups, nodes };
}

describe('covering sets (docs/design.md#shard-assignment, docs/design.md#read-path)', () => {
  it('answers every shard exactly once from healthy owners, each node searched once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 64 }), fc.nat(), (rg, n, S, seq) => {
        const rf = Math.min(2, n);
        const t = buildShardTable(topology(rg, n, rf), S);
        const group = seq % rg;
        const cover = coveringSet(t, group, { rotation: seq });
        const shards = cover.targets.flatMap((x) => x.shards).sort((a, b) => a - b);
        expect(shards).toEqual([...Array(S).keys()]);
        expect(new Set(cover.targets.map((x) => x.nodeId)).size).toBe(cover.targets.length);
        for (const x of cover.targets) {
          expect(x.group).toBe(group);
          for (const s of x.shards) expect(t.owners(group, s)).toContain(x.nodeId);
          expect(x.needsShardFilter).toBe(x.shards.length < S);
        }
        expect(cover.uncovered).toEqual([]);
      }),
    );
  });

  it('with RF=2 and one node down, stays complete inside the group', () => {
    const t = buildShardTable(topology(1, 3, 2, ['g0n1']), 64);
    const cover = coveringSet(t, 0);
    expect(cover.targets.map((x) => x.nodeId)).toEqual(['g0n0', 'g0n2']);
    expect(cover.targets.flatMap((x) => x.shards)).toHaveLength(64);
    expect(cover.fallbackShards).toEqual([]);
    expect(readDegradedHeader(cover.uncovered)).toBeUndefined();
  });

  it('falls back to another group for shards its group cannot serve, then reports the rest uncovered', () => {
    const t = buildShardTable(topology(2, 2, 1, ['g0n0']), 16);
    const lost = [...Array(16).keys()].filter((s) => t.owners(0, s)[0] === 'g0n0');
    const cover = coveringSet(t, 0);
    expect(cover.fallbackShards).toEqual(lost);
    expect(cover.targets.filter((x) => x.group === 1).flatMap((x) => x.shards).sort((a, b) => a - b)).toEqual(lost);
    const nowhere = coveringSet(t, 0, { isHealthy: (id) => !['g0n0', 'g1n0', 'g1n1'].includes(id) });
    expect(nowhere.uncovered).toEqual(lost);
    expect(readDegradedHeader(nowhere.uncovered)).toBe(`shards=${lost.join(',')}`);
  });

  it('rotates replicas across requests and restricts to planned shards', () => {
    const t = buildShardTable(topology(1, 3, 3), 4);
    const a = coveringSet(t, 0, { rotation: 0, shards: [2] });
    const b = coveringSet(t, 0, { rotation: 1, shards: [2] });
    expect(a.targets).toHaveLength(1);
    expect(a.targets[0]!.shards).toEqual([2]);
    expect(a.targets[0]!.nodeId).not.toBe(b.targets[0]!.nodeId);
    expect(withShardFilter('a = 1', [1, 2])).toEqual(['a = 1', '_miroir_shard IN [1, 2]']);
    expect(withShardFilter(['a = 1', ['b = 2', 'c = 3']], [0])).toEqual(['a = 1', ['b = 2', 'c = 3'], '_miroir_shard IN [0]']);
    expect(withShardFilter(undefined, [3])).toEqual(['_miroir_shard IN [3]']);
  });
});

describe('write quorum (docs/design.md#per-group-quorum)', () => {
  it('needs floor(RF/2)+1 acks per group by default', () => {
    expect([1, 2, 3, 4, 5].map((rf) => requiredAcks(rf))).toEqual([1, 2, 2, 3, 3]);
    expect(requiredAcks(3, 'one')).toBe(1);
    expect(requiredAcks(3, 'all')).toBe(3);
  });

  it('succeeds when each shard has one group at quorum, degrades otherwise, fails with no group', () => {
    const t = buildShardTable(topology(2, 3, 3), 8);
    const all = [...Array(8).keys()];
    expect(evaluateQuorum(t, all, () => true)).toEqual({ ok: true, degradedGroups: [], degradedShards: [], noQuorumShards: [] });
    const oneDown = evaluateQuorum(t, all, (n) => n !== 'g0n0' && n !== 'g0n1');
    expect(oneDown).toMatchObject({ ok: true, degradedGroups: [0], degradedShards: all, noQuorumShards: [], header: 'groups=0;shards=0,1,2,3,4,5,6,7' });
    const bothDown = evaluateQuorum(t, [5, 2], (n) => n === 'g0n0' || n === 'g1n0');
    expect(bothDown).toMatchObject({ ok: false, degradedGroups: [0, 1], noQuorumShards: [2, 5] });
    expect(evaluateQuorum(t, [1], (n) => n === 'g1n2', 'one').ok).toBe(true);
    expect(evaluateQuorum(t, [1], (n) => n !== 'g1n2' && !n.startsWith('g0'), 'all').ok).toBe(false);
  });

  it('does not count incoming owners of a dual-write migration', () => {
    const t = buildShardTable(topology(1, 3, 1), 4);
    const from = [...t.owners(0, 1)];
    const to = ['g0n0', 'g0n1', 'g0n2'].filter((n) => !from.includes(n)).slice(0, 1);
    const moving = t.withMigrations([{ group: 0, shard: 1, from, to, phase: 'dual-write' }]);
    expect(evaluateQuorum(moving, [1], (n) => n === to[0]).ok).toBe(false);
    expect(evaluateQuorum(moving, [1], (n) => n === from[0]).ok).toBe(true);
  });
});
