import type { Command } from 'commander';
import { AdminClient } from './admin-client';
import type { Output } from './output';

/** The global options every command sees (`miroir-ctl --url … --admin-key … --json <command>`). */
export interface GlobalOptions {
  url: string;
  adminKey?: string;
  json?: boolean;
  timeout: number;
}

/** What a command's action works with: the admin API client, the output and the mode. */
export interface CommandContext {
  client: AdminClient;
  out: Output;
  json: boolean;
}

export type ContextFactory = (command: Command) => CommandContext;

export function contextFactory(out: Output, env: NodeJS.ProcessEnv): ContextFactory {
  return (command) => {
    const opts = command.optsWithGlobals<GlobalOptions>();
    const adminKey = opts.adminKey ?? (env.MIROIR_ADMIN_KEY || undefined);
    return { client: new AdminClient({ url: opts.url, adminKey, timeoutMs: opts.timeout }), out, json: opts.json === true };
  };
}
