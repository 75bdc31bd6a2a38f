// Search overhead (docs/benchmarks.md): the same realistic queries, under the same closed-loop
// concurrent load, against (a) Miroir over 3 nodes (S=64, RF=1 by default) and (b) ONE node of the
// same kind holding the whole corpus, in the same run. Reports p50/p99 latency and throughput per
// target (median of several alternating runs after a warm-up) and their ratios, plus the API's
// peak RSS and CPU.
//
//   node dist/bench/search-overhead.js [--docs 20000] [--rf 1] [--connections 8] [--duration 10]
//        [--runs 5] [--warmup 5] [--queries 200] [--autocannon] [--profile] [--third] [--bin PATH|sim]
//
// Nodes: a real Meilisearch when one is found, else the dev node (benchNodes in bench/stack.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { flag, findProfile, log, numArg, ratio, runBench } from './cli';
import { summariseProfile } from './cpu-profile';
import { batches, createCorpus } from './corpus';
import { call, closeHttp, createIndex, documentCount, ingest, type Target } from './http';
import { autocannonLoad, median, undiciLoad, type LoadRequest, type LoadResult } from './load';
import { cpuSecondsOf, sampleProcess, type ProcUsage } from './proc-sample';
import { benchNodes, MASTER_KEY, NODE_KEY, startInfra, startMiroir, startNodes } from './stack';

const DOCS = numArg('docs', 20_000);
const RF = numArg('rf', 1);
const CONNECTIONS = numArg('connections', 8);
const DURATION = numArg('duration', 10);
const RUNS = numArg('runs', 5);
const WARMUP = numArg('warmup', 5);
const QUERIES = numArg('queries', 200);
const INDEX = 'movies';

interface Sample extends LoadResult {
  nodesCpuSeconds: number;
  api?: ProcUsage;
}

/**
 * Do both targets answer the same question? Same total and same hit ids (as a set) for a handful
 * of queries; the first mismatches are returned so a reader can see what differs.
 */
async function sameAnswers(a: Target, b: Target, reqs: readonly LoadRequest[]): Promise<{ same: string; mismatches: unknown[] }> {
  type Answer = { estimatedTotalHits?: number; hits: { id: number }[] };
  let same = 0;
  const mismatches: unknown[] = [];
  const n = Math.min(30, reqs.length);
  for (const r of reqs.slice(0, n)) {
    const [x, y] = await Promise.all([a, b].map((t) => call<Answer>(t, 'POST', r.path, JSON.parse(r.body!))));
    const view = (v: Answer) => ({ total: v.estimatedTotalHits, ids: v.hits.map((h) => h.id) });
    const [vx, vy] = [view(x!.body), view(y!.body)];
    if (vx.total === vy.total && JSON.stringify([...vx.ids].sort()) === JSON.stringify([...vy.ids].sort())) same++;
    else if (mismatches.length < 3) mismatches.push({ query: JSON.parse(r.body!), [a.name]: vx, [b.name]: vy });
  }
  return { same: `${same}/${n}`, mismatches };
}

runBench('search-overhead', async () => {
  const load = flag('autocannon') ? autocannonLoad : undiciLoad;
  const infra = await startInfra();
  const stops: (() => Promise<void>)[] = [];
  try {
    const directDir = join(infra.dir, 'direct');
    mkdirSync(directDir, { recursive: true });
    const single = await startNodes(directDir, 1);
    stops.push(single.stop);
    const profileDir = join(infra.dir, 'profile');
    mkdirSync(profileDir, { recursive: true });
    const miroir = await startMiroir(infra, { name: `search-rf${RF}`, nodes: 3, replicationFactor: RF });
    stops.unshift(miroir.stop);
    const direct: Target = { name: 'direct', url: single.nodes[0]!.url, key: NODE_KEY };
    const viaMiroir: Target = { name: 'miroir', url: miroir.url, key: MASTER_KEY };
    // --third: one more node holding a third of the corpus (what each Miroir node holds at RF=1),
    // to show how a node's cost per search scales with its share of the documents.
    const thirdDir = join(infra.dir, 'third');
    mkdirSync(thirdDir, { recursive: true });
    const thirdSet = flag('third') ? await startNodes(thirdDir, 1) : undefined;
    if (thirdSet) stops.push(thirdSet.stop);
    const third: Target | undefined = thirdSet && { name: 'third', url: thirdSet.nodes[0]!.url, key: NODE_KEY };

    const corpus = createCorpus();
    const bodies = batches(corpus, DOCS, 1_000);
    const reqs: LoadRequest[] = Array.from({ length: QUERIES }, () => ({ method: 'POST', path: `/indexes/${INDEX}/search`, body: JSON.stringify(corpus.query()) }));
    for (const t of [direct, viaMiroir]) {
      log(`indexing ${DOCS} documents into ${t.name}`);
      await createIndex(t, INDEX);
      await ingest(t, INDEX, bodies);
      const count = await documentCount(t, INDEX);
      if (count !== DOCS) throw new Error(`${t.name} holds ${count} documents, expected ${DOCS}`);
    }
    if (third) {
      await createIndex(third, INDEX);
      await ingest(third, INDEX, bodies.slice(0, Math.ceil(bodies.length / 3)));
    }
    const agreement = await sameAnswers(direct, viaMiroir, reqs);
    // Profile only the search phase: restart the API (state lives in Postgres) under --cpu-prof.
    if (flag('profile')) await miroir.restartApi(['--cpu-prof', '--cpu-prof-dir', profileDir]);

    const measure = async (t: Target, seconds: number): Promise<Sample> => {
      const pids = (t === direct ? single.nodes : t === third ? thirdSet!.nodes : miroir.nodes).map((n) => n.pid);
      const nodesCpu = cpuSecondsOf(pids);
      const api = t === viaMiroir ? sampleProcess(miroir.api.pid) : undefined;
      const r = await load(t.url, t.key, reqs, CONNECTIONS, seconds);
      return { ...r, nodesCpuSeconds: nodesCpu(), api: api?.stop() };
    };
    log(`warm-up ${WARMUP} s each`);
    await measure(direct, WARMUP);
    await measure(viaMiroir, WARMUP);
    if (third) await measure(third, WARMUP);
    const samples: Record<'direct' | 'miroir' | 'third', Sample[]> = { direct: [], miroir: [], third: [] };
    for (let run = 0; run < RUNS; run++) {
      // Alternate which target goes first so slow drift on a shared machine hits both alike.
      const order = [...(run % 2 ? [viaMiroir, direct] : [direct, viaMiroir]), ...(third ? [third] : [])];
      for (const t of order) {
        const s = await measure(t, DURATION);
        samples[t.name as 'direct' | 'miroir' | 'third'].push(s);
        log(`run ${run + 1}/${RUNS} ${t.name}: p50 ${s.p50} ms, p99 ${s.p99} ms, ${s.rps} req/s, errors ${s.errors}, non-2xx ${s.non2xx}`);
      }
    }
    const med = (t: 'direct' | 'miroir' | 'third', k: 'p50' | 'p99' | 'rps' | 'nodesCpuSeconds') => +median(samples[t].map((s) => s[k])).toFixed(2);
    const summary = (t: 'direct' | 'miroir' | 'third') => ({ p50Ms: med(t, 'p50'), p99Ms: med(t, 'p99'), rps: med(t, 'rps'), nodesCpuSecondsPerRun: med(t, 'nodesCpuSeconds') });
    const apiRuns = samples.miroir.map((s) => s.api!);
    // CPU milliseconds per answered search: where the work goes (nodes vs the API).
    const perQuery = (t: 'direct' | 'miroir' | 'third', cpu: (s: Sample) => number) => +median(samples[t].map((s) => (1000 * cpu(s)) / Math.max(1, s.requests))).toFixed(2);
    const result = {
      config: { docs: DOCS, shards: 64, nodes: 3, replicationFactor: RF, connections: CONNECTIONS, durationS: DURATION, runs: RUNS, warmupS: WARMUP, queries: QUERIES, driver: flag('autocannon') ? 'autocannon' : 'undici' },
      sameAnswers: agreement,
      direct: summary('direct'),
      miroir: summary('miroir'),
      ratios: {
        p50: ratio(med('miroir', 'p50'), med('direct', 'p50')),
        p99: ratio(med('miroir', 'p99'), med('direct', 'p99')),
        throughput: ratio(med('miroir', 'rps'), med('direct', 'rps')),
      },
      cpuMsPerSearch: {
        directNode: perQuery('direct', (s) => s.nodesCpuSeconds),
        miroirNodesTotal: perQuery('miroir', (s) => s.nodesCpuSeconds),
        miroirApi: perQuery('miroir', (s) => s.api!.cpuSeconds),
        ...(third ? { oneNodeThirdOfCorpus: perQuery('third', (s) => s.nodesCpuSeconds) } : {}),
      },
      ...(third ? { oneNodeThirdOfCorpus: summary('third') } : {}),
      api: {
        peakRssMiB: Math.max(...apiRuns.map((a) => a.peakRssMiB)),
        cpuCoresMedian: median(apiRuns.map((a) => a.cpuCores)),
        cpuSecondsPerRunMedian: median(apiRuns.map((a) => a.cpuSeconds)),
      },
      errors: { direct: samples.direct.reduce((a, s) => a + s.errors + s.non2xx, 0), miroir: samples.miroir.reduce((a, s) => a + s.errors + s.non2xx, 0) },
      runs: samples,
    };
    if (flag('profile')) {
      await miroir.stop();
      stops.shift();
      const file = findProfile(profileDir);
      return { ...result, profile: file ? { file, ...summariseProfile(file) } : 'no profile written (did the API exit cleanly?)' };
    }
    return result;
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    await closeHttp();
    await infra.stop();
  }
}, benchNodes().label);
