import { Command, Option } from 'commander';
import { registerNodeChanges } from './commands/node-changes';
import { registerNodes } from './commands/nodes';
import { registerRebalance } from './commands/rebalance';
import { registerShards } from './commands/shards';
import { registerStatus } from './commands/status';
import { contextFactory } from './context';
import type { Output } from './output';

/**
 * miroir-ctl: the operator CLI over the admin API (docs/design.md#admin-api). Each command family lives in
 * commands/<family>.ts and registers itself here.
 */
export function buildProgram(out: Output, env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command('miroir-ctl')
    .description('Operate a Miroir cluster through its admin API')
    .addOption(new Option('--url <url>', 'Miroir API URL (env MIROIR_URL)').default(env.MIROIR_URL || 'http://127.0.0.1:7700'))
    // The key's value must never be printed by --help: no .default() with it, read env at use.
    .addOption(new Option('--admin-key <key>', 'admin key (env MIROIR_ADMIN_KEY)'))
    .addOption(new Option('--json', 'print JSON instead of tables'))
    .addOption(
      new Option('--timeout <ms>', 'per-request timeout in milliseconds')
        .default(15_000)
        .argParser((v) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n <= 0) throw new Error('--timeout must be a positive integer');
          return n;
        }),
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const context = contextFactory(out, env);
  registerStatus(program, context);
  registerNodeChanges(registerNodes(program, context), context);
  registerShards(program, context);
  registerRebalance(program, context);
  return program;
}
