import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const pending = globalThis.__MIROIR_TEST_STACK__;
  if (!pending) return;
  globalThis.__MIROIR_TEST_STACK__ = undefined;
  const stack = await pending;
  await Promise.all([stack.temporal.stop(), stack.pg.stop()]);
  if (!process.env.MIROIR_KEEP_TEST_DIR) rmSync(stack.dir, { recursive: true, force: true });
}
