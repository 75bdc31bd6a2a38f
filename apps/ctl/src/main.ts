#!/usr/bin/env node
import { CommanderError } from 'commander';
import { CtlError } from './admin-client';
import { consoleOutput } from './output';
import { buildProgram } from './program';

// Exit codes: 0 success, 1 the operation failed (one line on stderr), 2 usage error.
async function main(argv: string[]): Promise<number> {
  const program = buildProgram(consoleOutput());
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed the message (or the help).
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    }
    const message = err instanceof CtlError ? err.message : `unexpected error: ${(err as Error)?.message ?? String(err)}`;
    process.stderr.write(`miroir-ctl: ${message}\n`);
    return 1;
  }
}

void main(process.argv).then((code) => {
  process.exitCode = code;
});
