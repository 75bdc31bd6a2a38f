import type { Command } from 'commander';
import type { ContextFactory } from '../context';
import type { Output } from '../output';
import type { TopologyView } from '../types';

/**
 * `miroir-ctl nodes …`. Operations on nodes (issue 6: `add`, `drain`, `remove`) are added here as
 * further subcommands of the same parent.
 */
export function registerNodes(program: Command, context: ContextFactory): Command {
  const nodes = program.command('nodes').description('cluster nodes');
  nodes
    .command('list')
    .alias('ls')
    .description('every node with its group, state and this API pod’s view of its health')
    .action(async (_opts: unknown, command: Command) => {
      const { client, out, json } = context(command);
      const topology = await client.get<TopologyView>('/_miroir/topology');
      if (json) out.json(topology.nodes);
      else printNodes(out, topology);
    });
  return nodes;
}

export function printNodes(out: Output, topology: TopologyView): void {
  out.table(
    ['NODE', 'GROUP', 'STATE', 'HEALTHY', 'LATENCY', 'ADDRESS', 'LAST ERROR'],
    topology.nodes.map((n) => [n.id, n.group, n.state, n.healthy, n.healthy && n.latencyMs !== null ? `${n.latencyMs} ms` : null, n.address, n.lastError]),
  );
}
