// Anti-entropy cost (docs/operations.md): Miroir over 3 nodes, S=64, RF=2 (every shard
// on two nodes), `write_quorum: one`, anti-entropy on, holding 20,000 documents. Measures
//   1. a clean run (nothing to repair): wall time and documents read per second — the cost every
//      `anti_entropy.interval_ms` pays;
//   2. a repair run after one node was down while 2,000 documents were replaced (acknowledged by
//      the other replica only): wall time and documents repaired.
// Runs start the antiEntropyWorkflow directly with a 1 s settling delay (the default is 15 s); the
// schedule is paused, so the API's early runs (after degraded writes) do not run alongside.
//
//   node dist/bench/anti-entropy.js [--docs 20000] [--updates 2000] [--concurrency 2] [--bin PATH|sim]
//
// Nodes: a real Meilisearch when one is found, else the dev node (benchNodes in bench/stack.ts);
// the node "down" is killed with SIGKILL and restarted on the same data, which both kinds survive.
import { Client, Connection } from '@temporalio/client';
import { scheduleIds } from '@miroir/temporal';
import { log, numArg, runBench } from './cli';
import { batches, createCorpus } from './corpus';
import { closeHttp, createIndex, documentCount, ingest, must, waitTask, type Target } from './http';
import { benchNodes, MASTER_KEY, startInfra, startMiroir } from './stack';
import type { AntiEntropyResult } from '../workflows/anti-entropy.workflow';

const DOCS = numArg('docs', 20_000);
const UPDATES = numArg('updates', 2_000);
const CONCURRENCY = numArg('concurrency', 2);
const INDEX = 'movies';

runBench('anti-entropy', async () => {
  const infra = await startInfra();
  const stops: (() => Promise<void>)[] = [];
  let connection: Connection | undefined;
  try {
    const miroir = await startMiroir(infra, {
      name: 'anti-entropy',
      nodes: 3,
      replicationFactor: 2,
      env: { MIROIR_ANTI_ENTROPY__ENABLED: 'true', MIROIR_ANTI_ENTROPY__INTERVAL_MS: '86400000', MIROIR_CLUSTER__WRITE_QUORUM: 'one' },
    });
    stops.push(miroir.stop);
    const client: Target = { name: 'miroir', url: miroir.url, key: MASTER_KEY };
    await createIndex(client, INDEX);
    await ingest(client, INDEX, batches(createCorpus(), DOCS, 1_000));
    const total = await documentCount(client, INDEX);

    connection = await Connection.connect({ address: infra.temporal.address });
    const temporal = new Client({ connection, namespace: miroir.namespace });
    // Only the runs measured here: no early runs requested by the API's degraded writes.
    await temporal.schedule.getHandle(scheduleIds.antiEntropy()).pause('bench: runs started by hand');
    let run = 0;
    const antiEntropy = async (): Promise<{ seconds: number; result: AntiEntropyResult }> => {
      const t0 = performance.now();
      const result: AntiEntropyResult = await temporal.workflow.execute('antiEntropyWorkflow', {
        taskQueue: miroir.taskQueue,
        workflowId: `anti-entropy-bench-${++run}`,
        args: [{ settleMs: 1_000, pageSize: 1_000, concurrency: CONCURRENCY }],
      });
      return { seconds: (performance.now() - t0) / 1000, result };
    };

    log('clean run');
    const clean = await antiEntropy();
    // Every document lives on two replicas, and each is read once.
    const read = clean.result.documents * 2;

    log(`node meili-2 down; replacing ${UPDATES} documents`);
    await miroir.nodes[2]!.kill9();
    const corpus = createCorpus(0xbeef);
    const replaced = Array.from({ length: UPDATES }, (_, i) => ({ ...corpus.doc(i), id: i }));
    for (let i = 0; i < replaced.length; i += 500) {
      const task = await must<{ taskUid: number }>(client, 'POST', `/indexes/${INDEX}/documents`, replaced.slice(i, i + 500));
      await waitTask(client, task.taskUid);
    }
    await miroir.nodes[2]!.restart();
    log('repair run');
    const repair = await antiEntropy();
    const after = await antiEntropy();
    return {
      config: { docs: DOCS, shards: 64, nodes: 3, replicationFactor: 2, writeQuorum: 'one', concurrency: CONCURRENCY, settleMs: 1_000, pageSize: 1_000 },
      documents: total,
      clean: { seconds: +clean.seconds.toFixed(2), documentsReadPerSecond: Math.round(read / clean.seconds), result: clean.result },
      repair: { seconds: +repair.seconds.toFixed(2), result: repair.result },
      afterRepair: { seconds: +after.seconds.toFixed(2), result: after.result },
    };
  } finally {
    await connection?.close().catch(() => undefined);
    for (const stop of stops) await stop().catch(() => undefined);
    await closeHttp();
    await infra.stop();
  }
}, benchNodes().label);
