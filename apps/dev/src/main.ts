// `npm run dev`: the whole stack on one machine with embedded defaults (docs/architecture.md) — Postgres,
// the Temporal dev server with its Web UI, three Meilisearch-compatible nodes, the worker and the
// API — started in dependency order and stopped in reverse on Ctrl-C.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseConfig, runMain, ConfigError, type LoadedConfig } from '@miroir/config';
import {
  findMeilisearchBinary,
  killStale,
  recordPids,
  repoRoot,
  spawnManaged,
  startEmbeddedPostgres,
  startTemporalDevServer,
  waitForPort,
  type ManagedProcess,
  type PidEntry,
} from '@miroir/embedded';
import { startDevNode, type DevNode } from '@miroir/embedded/dev-node';
import { resolveDevKeys } from './dev-keys';

const NODE_PORTS = (process.env.MIROIR_DEV_NODE_PORTS ?? '7701,7702,7703').split(',').map((p) => Number(p.trim()));
const PG_PORT = Number(process.env.MIROIR_DEV_PG_PORT ?? 5433);
const SHUTDOWN_BUDGET_MS = 15_000;

interface Stoppable {
  name: string;
  stop(): Promise<void>;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function portOf(address: string, fallback: number): number {
  const m = /:(\d+)$/.exec(address);
  return m ? Number(m[1]) : fallback;
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

runMain('miroir-dev', async () => {
  const root = repoRoot();
  const home = resolve(root, process.env.MIROIR_DEV_DIR ?? '.miroir');
  const devDir = join(home, 'dev');
  const logs = join(devDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const pidFile = join(devDir, 'pids.json');

  // Validate the configuration before starting anything: a typo stops here, in one line.
  const nodeIds = NODE_PORTS.map((_, i) => `meili-${i}`);
  const devNodesYaml = JSON.stringify(NODE_PORTS.map((port, i) => ({ id: nodeIds[i], address: `http://127.0.0.1:${port}`, group: 0 })));
  const probe = parseConfig(
    process.env.MIROIR_CONFIG && existsSync(process.env.MIROIR_CONFIG) ? readFileSync(process.env.MIROIR_CONFIG, 'utf8') : undefined,
    process.env,
    process.env.MIROIR_CONFIG,
  );
  if (process.env.MIROIR_CONFIG && !existsSync(process.env.MIROIR_CONFIG)) {
    throw new ConfigError(`config error: MIROIR_CONFIG: ${process.env.MIROIR_CONFIG} does not exist`);
  }
  const useDevNodes = probe.config.nodes.length === 0;
  const childEnvBase: NodeJS.ProcessEnv = { ...process.env, ...(useDevNodes ? { MIROIR_NODES: devNodesYaml } : {}) };
  const loaded: LoadedConfig = parseConfig(
    process.env.MIROIR_CONFIG ? readFileSync(process.env.MIROIR_CONFIG, 'utf8') : undefined,
    childEnvBase,
    process.env.MIROIR_CONFIG,
  );
  const { config } = loaded;

  const stale = await killStale(pidFile);
  if (stale.length) say(`stopped leftovers of a previous run: ${stale.join(', ')}`);

  const keys = resolveDevKeys(join(devDir, 'keys.json'), process.env);
  const started: Stoppable[] = [];
  const pids: PidEntry[] = [];
  const track = (name: string, proc: ManagedProcess, marker: string, stopSignal?: NodeJS.Signals): void => {
    pids.push({ name, pid: proc.pid, marker, stopSignal });
    recordPids(pidFile, pids);
  };

  let shuttingDown = false;
  const shutdown = async (code: number): Promise<never> => {
    if (shuttingDown) process.exit(code);
    shuttingDown = true;
    say('\nstopping the stack…');
    const force = setTimeout(() => {
      say('some processes did not stop in time; killing them');
      for (const p of pids) {
        try {
          process.kill(-p.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      process.exit(code || 1);
    }, SHUTDOWN_BUDGET_MS - 1_000);
    // Reverse start order: API and worker, then nodes, then Temporal, then Postgres.
    for (const s of [...started].reverse()) {
      await s.stop().catch((err: Error) => say(`${s.name}: ${err.message}`));
    }
    clearTimeout(force);
    recordPids(pidFile, []);
    say('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    // 1. Postgres
    let databaseUrl = loaded.secrets.databaseUrl;
    let pgShown = databaseUrl ? 'external (DATABASE_URL)' : '';
    if (!databaseUrl) {
      say('starting Postgres…');
      const pg = await startEmbeddedPostgres({ dataDir: join(home, 'postgres'), port: PG_PORT, logFile: join(logs, 'postgres.log') });
      started.push({ name: 'postgres', stop: () => pg.stop() });
      track('postgres', pg.process, 'postgres', 'SIGQUIT');
      databaseUrl = await pg.createDatabase('miroir');
      pgShown = databaseUrl;
    }

    // 2. Temporal dev server with the Web UI
    say('starting Temporal…');
    const temporalBin = process.env.MIROIR_TEMPORAL_BIN;
    if (!temporalBin) throw new Error('MIROIR_TEMPORAL_BIN is not set; start the stack with `npm run dev`');
    const temporalPort = portOf(config.temporal.address, 7233);
    const uiPort = portOf(config.server.temporal_ui_url, 8233);
    const temporal = await startTemporalDevServer({
      bin: temporalBin,
      port: temporalPort,
      uiPort,
      dbFile: join(home, 'temporal', 'dev.db'),
      logFile: join(logs, 'temporal.log'),
    });
    started.push({ name: 'temporal', stop: () => temporal.stop() });
    track('temporal', temporal.process, 'start-dev');

    // 3. Three Meilisearch-compatible nodes
    const realBin = findMeilisearchBinary(process.env, 'MIROIR_DEV_MEILISEARCH_BIN');
    const nodes: DevNode[] = [];
    if (useDevNodes) {
      say(`starting 3 nodes (${realBin ? `meilisearch: ${realBin}` : 'Miroir dev node, test/meili-sim'})…`);
      const results = await Promise.all(
        NODE_PORTS.map((port, i) =>
          startDevNode({
            httpAddr: `127.0.0.1:${port}`,
            dbPath: join(home, 'nodes', nodeIds[i]!),
            masterKey: keys.nodeMasterKey,
            bin: realBin,
            logFile: join(logs, `${nodeIds[i]}.log`),
          }),
        ),
      );
      for (const [i, node] of results.entries()) {
        nodes.push(node);
        started.push({ name: nodeIds[i]!, stop: () => node.stop() });
        pids.push({ name: nodeIds[i]!, pid: node.pid, marker: String(NODE_PORTS[i]) });
      }
      recordPids(pidFile, pids);
    }

    // 4. Worker and API
    const childEnv: NodeJS.ProcessEnv = {
      ...childEnvBase,
      DATABASE_URL: databaseUrl,
      MIROIR_MASTER_KEY: keys.masterKey,
      MIROIR_ADMIN_KEY: keys.adminKey,
      MIROIR_NODE_MASTER_KEY: keys.nodeMasterKey,
      MIROIR_TEMPORAL__ADDRESS: temporal.address,
    };
    const dist = join(root, 'dist', 'apps');
    say('starting the worker and the API…');
    const worker = spawnManaged('worker', process.execPath, [join(dist, 'worker', 'src', 'main.js')], {
      env: childEnv,
      logFile: join(logs, 'worker.log'),
    });
    started.push({ name: 'worker', stop: () => worker.stop(8_000) });
    track('worker', worker, 'worker/src/main.js');
    const api = spawnManaged('api', process.execPath, [join(dist, 'api', 'src', 'main.js')], {
      env: childEnv,
      logFile: join(logs, 'api.log'),
    });
    started.push({ name: 'api', stop: () => api.stop(8_000) });
    track('api', api, 'api/src/main.js');

    for (const [proc, log] of [
      [worker, 'worker.log'],
      [api, 'api.log'],
    ] as const) {
      void proc.exited.then((code) => {
        if (shuttingDown) return;
        say(`\n${proc.name} exited unexpectedly (code ${code}). Last lines of ${join(logs, log)}:\n${tail(join(logs, log))}`);
        void shutdown(1);
      });
    }
    await waitForPort(config.server.host, config.server.port, 120_000);

    const apiUrl = `http://${config.server.host}:${config.server.port}`;
    const shown = (key: string, fromEnv: boolean): string => `${key}   ${fromEnv ? '(from the environment)' : '(generated, kept in .miroir/dev/keys.json)'}`;
    say('');
    say('Miroir is up.');
    say(`  API (Meilisearch-compatible)  ${apiUrl}`);
    say(`  Master key                    ${shown(keys.masterKey, keys.fromEnv.masterKey)}`);
    say(`  Admin key (/_miroir/*)        ${shown(keys.adminKey, keys.fromEnv.adminKey)}`);
    say(`  Temporal Web UI               ${temporal.uiUrl ?? '(headless)'}`);
    say(`  Temporal frontend             ${temporal.address}`);
    say(`  Postgres                      ${pgShown}`);
    for (const [i, node] of nodes.entries()) say(`  Node ${nodeIds[i]}                   ${node.url}`);
    if (config.server.metrics_port) say(`  Prometheus metrics            http://${config.server.host}:${config.server.metrics_port}/metrics`);
    say(`  Logs                          ${logs}`);
    say('');
    say('Try:');
    say(`  curl ${apiUrl}/health`);
    say(`  curl -H 'Authorization: Bearer ${keys.masterKey}' ${apiUrl}/indexes`);
    say('');
    say('Ctrl-C stops everything.');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    say(`start failed: ${(err as Error).message}`);
    await shutdown(1);
  }
});
