import type { Command } from 'commander';
import type { ContextFactory } from '../context';
import type { ReadinessReport, TopologyView } from '../types';
import { printNodes } from './nodes';

/** `miroir-ctl status`: topology version, nodes with state and health, indexes, readiness. */
export function registerStatus(program: Command, context: ContextFactory): void {
  program
    .command('status')
    .description('cluster overview: topology, node health, indexes and readiness')
    .action(async (_opts: unknown, command: Command) => {
      const { client, out, json } = context(command);
      const [topology, ready] = await Promise.all([client.get<TopologyView>('/_miroir/topology'), client.probe<ReadinessReport>('/_miroir/ready', [503])]);
      const checks = ready.body?.details ?? {};
      const indexes = typeof checks.shards?.indexes === 'number' ? checks.shards.indexes : null;
      const failing = Object.entries(checks)
        .filter(([, c]) => c.status !== 'up')
        .map(([name]) => name);
      if (json) {
        out.json({ url: client.url, ready: ready.status === 200, readiness: ready.body, indexes, topology });
        return;
      }
      const healthy = topology.nodes.filter((n) => n.healthy).length;
      out.line(`Miroir      ${client.url}`);
      out.line(`ready       ${ready.status === 200 ? 'yes' : `no (${failing.join(', ') || `HTTP ${ready.status}`})`}`);
      out.line(`topology    version ${topology.version}, RF ${topology.replicationFactor}, ${topology.replicaGroups} replica group(s)`);
      out.line(`nodes       ${topology.nodes.length} (${healthy} healthy)`);
      out.line(`indexes     ${indexes ?? 'unknown'}`);
      const shards = checks.shards;
      if (shards && shards.status !== 'up') {
        out.line(`unavailable ${String(shards.unavailableShards)} shard(s) in ${String(shards.indexesWithUnavailableShards)} index(es): see \`miroir-ctl shards\``);
      }
      out.line();
      printNodes(out, topology);
    });
}
