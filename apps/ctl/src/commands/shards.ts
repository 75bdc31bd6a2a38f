import type { Command } from 'commander';
import type { ContextFactory } from '../context';
import type { Output } from '../output';
import type { IndexShardReport, ShardsView } from '../types';

/** `miroir-ctl shards [--index uid]`: per index and shard, the owners of every group and their health. */
export function registerShards(program: Command, context: ContextFactory): void {
  program
    .command('shards')
    .description('shard owners per index and replica group (unhealthy owners are marked "!")')
    .option('-i, --index <uid>', 'only this index')
    .action(async (opts: { index?: string }, command: Command) => {
      const { client, out, json } = context(command);
      const query = opts.index === undefined ? '' : `?index=${encodeURIComponent(opts.index)}`;
      const view = await client.get<ShardsView>(`/_miroir/shards${query}`);
      if (json) {
        out.json(view);
        return;
      }
      if (view.indexes.length === 0) {
        out.line('no indexes');
        return;
      }
      view.indexes.forEach((index, i) => {
        if (i > 0) out.line();
        printIndex(out, index);
      });
    });
}

function printIndex(out: Output, index: IndexShardReport): void {
  const missing = index.unavailableShards.length === 0 ? 'all shards available' : `UNAVAILABLE shards: ${index.unavailableShards.join(',')}`;
  out.line(`index ${index.uid}: ${index.shards} shards, primary key ${index.primaryKey ?? '-'}, ${missing}`);
  const groups = index.table[0]?.groups.map((g) => g.group) ?? [];
  out.table(
    ['SHARD', ...groups.map((g) => `GROUP ${g}`), 'AVAILABLE'],
    index.table.map((row) => [
      row.shard,
      ...row.groups.map((g) => {
        const owners = g.owners.map((o) => (o.healthy ? o.node : `${o.node}!`)).join(',');
        return g.incoming?.length ? `${owners} <- ${g.incoming.join(',')}` : owners;
      }),
      row.available,
    ]),
  );
}
