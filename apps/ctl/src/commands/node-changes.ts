import { Option, type Command } from 'commander';
import type { ContextFactory } from '../context';
import type { Output } from '../output';

interface NodeChange {
  node: { id: string; address: string; group: number; state: string };
  topologyVersion: number;
  drained?: boolean;
  rebalance?: { workflowId: string; link: string };
}

function printChange(out: Output, verb: string, r: NodeChange): void {
  out.line(`${verb} ${r.node.id} (group ${r.node.group}, ${r.node.address}): now ${r.node.state}; topology version ${r.topologyVersion}`);
  if (r.rebalance) out.line(`rebalance started: ${r.rebalance.workflowId}  ${r.rebalance.link}`);
  else if (r.node.state === 'joining' || r.node.state === 'draining') out.line('run `miroir-ctl rebalance start` to move the data');
}

const rebalanceOption = (): Option => new Option('--rebalance', 'start a rebalance right away');

/** `miroir-ctl nodes add|drain|remove` (docs/design.md#admin-api), on the `nodes` command family. */
export function registerNodeChanges(nodes: Command, context: ContextFactory): void {
  nodes
    .command('add <id> <address>')
    .description('add a node as joining (it gets shards at the next rebalance)')
    .addOption(new Option('--group <n>', 'replica group (one past the last adds a group)').default(0).argParser((v) => Number(v)))
    .addOption(rebalanceOption())
    .action(async (id: string, address: string, opts: { group: number; rebalance?: boolean }, command: Command) => {
      const { client, out, json } = context(command);
      const r = await client.post<NodeChange>(`/_miroir/nodes${opts.rebalance ? '?rebalance=true' : ''}`, { id, address, group: opts.group });
      if (json) out.json(r);
      else printChange(out, 'added', r);
    });
  nodes
    .command('drain <id>')
    .description('mark a node draining (the next rebalance moves its shards away, then removes it)')
    .addOption(rebalanceOption())
    .action(async (id: string, opts: { rebalance?: boolean }, command: Command) => {
      const { client, out, json } = context(command);
      const r = await client.post<NodeChange>(`/_miroir/nodes/${encodeURIComponent(id)}/drain${opts.rebalance ? '?rebalance=true' : ''}`);
      if (json) out.json(r);
      else printChange(out, 'draining', r);
    });
  nodes
    .command('remove <id>')
    .description('remove a node: at once if it holds nothing, else it is drained first')
    .addOption(rebalanceOption())
    .action(async (id: string, opts: { rebalance?: boolean }, command: Command) => {
      const { client, out, json } = context(command);
      const r = await client.delete<NodeChange>(`/_miroir/nodes/${encodeURIComponent(id)}${opts.rebalance ? '?rebalance=true' : ''}`);
      if (json) out.json(r);
      else printChange(out, r.drained ? 'draining' : 'removed', r);
    });
}
