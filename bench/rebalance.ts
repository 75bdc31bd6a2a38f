// Rebalance throughput (docs/benchmarks.md): Miroir over 3 nodes (S=64, RF=1) holding 20,000
// documents; a fourth node is added through the admin API and a rebalance started; measures wall
// time from `POST /_miroir/rebalance` until its status says done, documents moved (counted on the
// nodes: what the new node holds afterwards) per second, and the fraction of the corpus moved.
//
//   node dist/bench/rebalance.js [--docs 20000] [--concurrency N] [--bin PATH|sim]
//
// Nodes (the added one too): a real Meilisearch when one is found, else the dev node (benchNodes
// in bench/stack.ts).
//
// --concurrency sets rebalance.max_concurrent_migrations (default: the config's default, 2).
//
// Needs the rebalance workflow and the admin routes (`POST /_miroir/nodes`, `POST
// /_miroir/rebalance`, `GET /_miroir/rebalance/status`); without them its result says "skipped".
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { log, numArg, ratio, runBench } from './cli';
import { batches, createCorpus } from './corpus';
import { call, closeHttp, createIndex, documentCount, ingest, type Target } from './http';
import { ADMIN_KEY, benchNodes, MASTER_KEY, NODE_KEY, startInfra, startMiroir, startNodes } from './stack';

const DOCS = numArg('docs', 20_000);
const CONCURRENCY = numArg('concurrency', 0);
const INDEX = 'movies';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** GET /_miroir/rebalance/status: Temporal's status name plus the workflow's progress or result. */
interface RebalanceStatus {
  status?: string;
  progress?: { state?: string; documentsCopied?: number };
  result?: { state?: string; documentsCopied?: number; completed?: number; failed?: number; plan?: { moves?: number; estimatedDocuments?: number } };
  code?: string;
}

const TERMINAL_FAILURES = ['FAILED', 'CANCELED', 'TERMINATED', 'TIMED_OUT'];

runBench('rebalance', async () => {
  const infra = await startInfra();
  const stops: (() => Promise<void>)[] = [];
  try {
    const miroir = await startMiroir(infra, {
      name: 'rebalance',
      nodes: 3,
      replicationFactor: 1,
      env: CONCURRENCY > 0 ? { MIROIR_REBALANCE__MAX_CONCURRENT_MIGRATIONS: String(CONCURRENCY) } : {},
    });
    stops.push(miroir.stop);
    const admin: Target = { name: 'admin', url: miroir.url, key: ADMIN_KEY };
    const client: Target = { name: 'miroir', url: miroir.url, key: MASTER_KEY };
    // Before any rebalance the route answers 404 miroir_rebalance_not_found; a bare 404 means no route.
    const probe = await call<RebalanceStatus>(admin, 'GET', '/_miroir/rebalance/status');
    if (probe.status === 404 && probe.body?.code !== 'miroir_rebalance_not_found') {
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
    for (;;) {
      await sleep(200);
      last = (await call<RebalanceStatus>(admin, 'GET', '/_miroir/rebalance/status')).body;
      if (TERMINAL_FAILURES.includes(last.status ?? '')) throw new Error(`rebalance ended ${last.status}: ${JSON.stringify(last)}`);
      if (last.status === 'COMPLETED') break;
      if (performance.now() - t0 > 30 * 60_000) throw new Error(`rebalance still running after 30 min: ${JSON.stringify(last)}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const newNode: Target = { name: 'meili-3', url: extra.nodes[0]!.url, key: NODE_KEY };
    const moved = await documentCount(newNode, INDEX);
    const after = await documentCount(client, INDEX);
    return {
      config: { docs: DOCS, shards: 64, nodes: '3 → 4', replicationFactor: 1, maxConcurrentMigrations: CONCURRENCY || 'default (2)' },
      seconds: +seconds.toFixed(2),
      documentsMoved: moved,
      fractionMoved: ratio(moved, total),
      documentsPerSecond: Math.round(moved / seconds),
      documentsCopiedByWorkflow: last.result?.documentsCopied,
      migrations: { completed: last.result?.completed, failed: last.result?.failed, planned: last.result?.plan?.moves, estimatedDocuments: last.result?.plan?.estimatedDocuments },
      documentsBefore: total,
      documentsAfter: after,
    };
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    await closeHttp();
    await infra.stop();
  }
}, benchNodes().label);
