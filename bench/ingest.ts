// Ingest throughput (docs/benchmarks.md): 100,000 documents in batches of 1,000 (two uploads in
// flight), waiting until every task succeeded, through Miroir over 3 nodes with RF=1 and RF=2
// (S=64) and straight into ONE node of the same kind, in the same run. Several rounds (target
// order rotated) after a warm-up; medians and the ratios Miroir / direct, plus the API's peak RSS
// and CPU per round.
//
//   node dist/bench/ingest.js [--docs 100000] [--batch 1000] [--runs 3] [--warmup-docs 5000]
//        [--in-flight 2] [--profile] [--bin PATH|sim]
//
// Nodes: a real Meilisearch when one is found, else the dev node (benchNodes in bench/stack.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { flag, findProfile, log, numArg, ratio, runBench } from './cli';
import { summariseProfile } from './cpu-profile';
import { batches, createCorpus } from './corpus';
import { call, closeHttp, createIndex, documentCount, ingest, waitTask, type Target } from './http';
import { median } from './load';
import { cpuSecondsOf, sampleProcess, type ProcUsage } from './proc-sample';
import { benchNodes, MASTER_KEY, NODE_KEY, startInfra, startMiroir, startNodes, type Miroir } from './stack';

const DOCS = numArg('docs', 100_000);
const BATCH = numArg('batch', 1_000);
const RUNS = numArg('runs', 3);
const WARMUP_DOCS = numArg('warmup-docs', 5_000);
const IN_FLIGHT = numArg('in-flight', 2);

type Name = 'direct' | 'miroirRf1' | 'miroirRf2';
interface Round {
  seconds: number;
  ackedSeconds: number;
  docsPerSecond: number;
  nodesCpuSeconds: number;
  api?: ProcUsage;
}

/** Deletes the index so every round starts from the same empty state (and memory stays flat). */
async function dropIndex(t: Target, uid: string): Promise<void> {
  const r = await call<{ taskUid?: number }>(t, 'DELETE', `/indexes/${uid}`);
  if (r.status === 202 && r.body.taskUid !== undefined) await waitTask(t, r.body.taskUid);
  else log(`${t.name}: DELETE /indexes/${uid} → ${r.status}; the index stays`);
}

runBench('ingest', async () => {
  const infra = await startInfra();
  const stops: (() => Promise<void>)[] = [];
  try {
    const directDir = join(infra.dir, 'direct');
    mkdirSync(directDir, { recursive: true });
    const single = await startNodes(directDir, 1);
    stops.push(single.stop);
    const profileDir = join(infra.dir, 'profile');
    mkdirSync(profileDir, { recursive: true });
    const m1 = await startMiroir(infra, { name: 'ingest-rf1', nodes: 3, replicationFactor: 1 });
    stops.unshift(m1.stop);
    const m2 = await startMiroir(infra, {
      name: 'ingest-rf2',
      nodes: 3,
      replicationFactor: 2,
      apiNodeArgs: flag('profile') ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
    });
    stops.unshift(m2.stop);
    const targets: { name: Name; t: Target; pids: () => number[]; miroir?: Miroir }[] = [
      { name: 'direct', t: { name: 'direct', url: single.nodes[0]!.url, key: NODE_KEY }, pids: () => single.nodes.map((n) => n.pid) },
      { name: 'miroirRf1', t: { name: 'miroir RF=1', url: m1.url, key: MASTER_KEY }, pids: () => m1.nodes.map((n) => n.pid), miroir: m1 },
      { name: 'miroirRf2', t: { name: 'miroir RF=2', url: m2.url, key: MASTER_KEY }, pids: () => m2.nodes.map((n) => n.pid), miroir: m2 },
    ];

    const corpus = createCorpus();
    const warm = batches(corpus, WARMUP_DOCS, BATCH);
    const bodies = batches(corpus, DOCS, BATCH, WARMUP_DOCS);
    log(`${bodies.length} batches of ${BATCH} (${Math.round(bodies.reduce((a, b) => a + b.length, 0) / DOCS)} bytes/doc)`);
    for (const { t } of targets) {
      await createIndex(t, 'warmup');
      await ingest(t, 'warmup', warm, IN_FLIGHT);
      await dropIndex(t, 'warmup');
    }

    const rounds: Record<Name, Round[]> = { direct: [], miroirRf1: [], miroirRf2: [] };
    for (let run = 0; run < RUNS; run++) {
      const order = [...targets.slice(run % 3), ...targets.slice(0, run % 3)];
      for (const { name, t, pids, miroir } of order) {
        const uid = `movies_${run}`;
        await createIndex(t, uid);
        const nodesCpu = cpuSecondsOf(pids());
        const api = miroir ? sampleProcess(miroir.api.pid) : undefined;
        const r = await ingest(t, uid, bodies, IN_FLIGHT);
        const round: Round = {
          seconds: +(r.ms / 1000).toFixed(2),
          ackedSeconds: +(r.ackedMs / 1000).toFixed(2),
          docsPerSecond: Math.round(DOCS / (r.ms / 1000)),
          nodesCpuSeconds: nodesCpu(),
          api: api?.stop(),
        };
        const count = await documentCount(t, uid);
        if (count !== DOCS) throw new Error(`${t.name} holds ${count} documents after round ${run + 1}, expected ${DOCS}`);
        rounds[name].push(round);
        log(`round ${run + 1}/${RUNS} ${t.name}: ${round.seconds} s (${round.docsPerSecond} docs/s), nodes CPU ${round.nodesCpuSeconds} s${round.api ? `, API peak RSS ${round.api.peakRssMiB} MiB, CPU ${round.api.cpuSeconds} s` : ''}`);
        await dropIndex(t, uid);
      }
    }
    const dps = (n: Name) => median(rounds[n].map((r) => r.docsPerSecond));
    const apiOf = (n: Name) => ({
      peakRssMiB: Math.max(...rounds[n].map((r) => r.api!.peakRssMiB)),
      cpuSecondsMedian: median(rounds[n].map((r) => r.api!.cpuSeconds)),
      cpuCoresMedian: median(rounds[n].map((r) => r.api!.cpuCores)),
    });
    const result = {
      config: { docs: DOCS, batch: BATCH, inFlight: IN_FLIGHT, runs: RUNS, warmupDocs: WARMUP_DOCS, shards: 64, nodes: 3 },
      docsPerSecond: { direct: dps('direct'), miroirRf1: dps('miroirRf1'), miroirRf2: dps('miroirRf2') },
      ratios: { rf1: ratio(dps('miroirRf1'), dps('direct')), rf2: ratio(dps('miroirRf2'), dps('direct')) },
      nodesCpuSecondsMedian: { direct: median(rounds.direct.map((r) => r.nodesCpuSeconds)), miroirRf1: median(rounds.miroirRf1.map((r) => r.nodesCpuSeconds)), miroirRf2: median(rounds.miroirRf2.map((r) => r.nodesCpuSeconds)) },
      api: { rf1: apiOf('miroirRf1'), rf2: apiOf('miroirRf2') },
      rounds,
    };
    if (flag('profile')) {
      await m2.stop();
      stops.shift();
      const file = findProfile(profileDir);
      return { ...result, profileRf2: file ? { file, ...summariseProfile(file) } : 'no profile written (did the API exit cleanly?)' };
    }
    return result;
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    await closeHttp();
    await infra.stop();
  }
}, benchNodes().label);
