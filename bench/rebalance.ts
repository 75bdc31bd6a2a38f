// Rebalance throughput (SPEC §17): Miroir over 3 dev nodes (S=64, RF=1) holding 20,000 documents;
// a fourth node is added through the admin API and a rebalance started; measures wall time from
// `POST /_miroir/rebalance` until its status says done, documents moved (counted on the nodes:
// what the new node holds afterwards) per second, and the fraction of the corpus moved.
//
//   node dist/bench/rebalance.js [--docs 20000] [--runs 1]
//
// Needs the rebalance workflow and the admin routes (`POST /_miroir/nodes`, `POST
// /_miroir/rebalance`, `GET /_miroir/rebalance/status`); without them its result says "skipped".
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { log, numArg, ratio, runBench } from './cli';
import { batches, createCorpus } from './corpus';
import { call, closeHttp, createIndex, documentCount, ingest, type Target } from './http';
import { ADMIN_KEY, MASTER_KEY, NODE_KEY, startInfra, startMiroir, startNodes } from './stack';

const DOCS = numArg('docs', 20_000);
const INDEX = 'movies';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface RebalanceStatus {
  status?: string;
  state?: string;
  running?: boolean;
  [k: string]: unknown;
}

/**
 * A rebalance is over when its status names a terminal state (the route's shape may still move);
 * "idle"/not running counts only once it was seen running, so a slow start is not taken for the end.
 */
function finished(s: RebalanceStatus, seenRunning: boolean): 'done' | 'failed' | undefined {
  const v = String(s.status ?? s.state ?? '').toLowerCase();
  if (['completed', 'succeeded', 'done'].includes(v)) return 'done';
  if (seenRunning && (v === 'idle' || s.running === false)) return 'done';
  if (['failed', 'canceled', 'cancelled', 'terminated', 'timed_out'].includes(v)) return 'failed';
  return undefined;
}

runBench('rebalance', async () => {
  const infra = await startInfra();
  const stops: (() => Promise<void>)[] = [];
  try {
    const miroir = await startMiroir(infra, { name: 'rebalance', nodes: 3, replicationFactor: 1 });
    stops.push(miroir.stop);
    const admin: Target = { name: 'admin', url: miroir.url, key: ADMIN_KEY };
    const client: Target = { name: 'miroir', url: miroir.url, key: MASTER_KEY };
    const probe = await call(admin, 'GET', '/_miroir/rebalance/status');
    if (probe.status === 404) {
      log('GET /_miroir/rebalance/status is 404: the rebalance admin API has not landed; nothing measured');
      return { skipped: 'rebalance admin API not available (GET /_miroir/rebalance/status → 404)' };
    }

    await createIndex(client, INDEX);
    await ingest(client, INDEX, batches(createCorpus(), DOCS, 1_000));
    const total = await documentCount(client, INDEX);

    const extraDir = join(infra.dir, 'rebalance-extra');
    mkdirSync(extraDir, { recursive: true });
    const extra = await startNodes(extraDir, 1);
    stops.unshift(extra.stop);
    const added = await call(admin, 'POST', '/_miroir/nodes', { id: 'meili-3', address: extra.nodes[0]!.url, group: 0 });
    if (added.status >= 300) throw new Error(`POST /_miroir/nodes → ${added.status} ${JSON.stringify(added.body)}`);

    const t0 = performance.now();
    const started = await call(admin, 'POST', '/_miroir/rebalance', {});
    if (started.status >= 300) throw new Error(`POST /_miroir/rebalance → ${started.status} ${JSON.stringify(started.body)}`);
    let last: RebalanceStatus = {};
    let seenRunning = false;
    for (;;) {
      await sleep(200);
      last = (await call<RebalanceStatus>(admin, 'GET', '/_miroir/rebalance/status')).body;
      const f = finished(last, seenRunning);
      seenRunning ||= ['running', 'copying', 'paused'].includes(String(last.status ?? last.state ?? '').toLowerCase()) || last.running === true;
      if (f === 'failed') throw new Error(`rebalance failed: ${JSON.stringify(last)}`);
      if (f === 'done') break;
      if (performance.now() - t0 > 30 * 60_000) throw new Error(`rebalance still running after 30 min: ${JSON.stringify(last)}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const newNode: Target = { name: 'meili-3', url: extra.nodes[0]!.url, key: NODE_KEY };
    const moved = await documentCount(newNode, INDEX);
    const after = await documentCount(client, INDEX);
    return {
      config: { docs: DOCS, shards: 64, nodes: '3 → 4', replicationFactor: 1 },
      seconds: +seconds.toFixed(2),
      documentsMoved: moved,
      fractionMoved: ratio(moved, total),
      documentsPerSecond: Math.round(moved / seconds),
      documentsBefore: total,
      documentsAfter: after,
      finalStatus: last,
    };
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    await closeHttp();
    await infra.stop();
  }
});
