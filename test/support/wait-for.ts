/**
 * Polls `probe` every `everyMs` until it returns a value (neither undefined nor false), and returns
 * it; throws "timed out waiting for <what>" after `timeoutMs`. For states reached asynchronously
 * (a node repaired, a health check flipped), where a fixed sleep would be either flaky or slow.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
