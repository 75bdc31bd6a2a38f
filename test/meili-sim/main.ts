#!/usr/bin/env node
// meili-sim: a Meilisearch-compatible dev node, started like Meilisearch
// (`--http-addr`, `--db-path`, `--master-key`, MEILI_* env). See docs/meili-sim.md.
import { ConfigError, loadConfig } from './config';
import { startNode } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const node = await startNode(config);
  process.stdout.write(
    `meili-sim: db path ${config.dbPath}, env ${config.env}, master key ${config.masterKey ? 'set' : 'not set (open)'}${config.simFaults ? ', fault injection on' : ''}\n`,
  );
  process.stdout.write(`listening on ${node.url}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    node
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        process.stderr.write(`meili-sim: error while stopping on ${signal}: ${String(err)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`meili-sim: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
