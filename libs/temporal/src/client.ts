import { Client, Connection } from '@temporalio/client';

export interface TemporalClientOptions {
  address: string;
  namespace: string;
  /** How long to keep retrying the first connection (the server may still be starting). */
  connectTimeoutMs?: number;
}

/** Connects to Temporal, retrying while the server comes up. */
export async function createTemporalClient(opts: TemporalClientOptions): Promise<Client> {
  const connection = await connectWithRetry(opts.address, opts.connectTimeoutMs ?? 30_000);
  return new Client({ connection, namespace: opts.namespace });
}

export async function connectWithRetry(address: string, timeoutMs: number): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await Connection.connect({ address, connectTimeout: 2_000 });
    } catch (err) {
      if (Date.now() > deadline) {
        throw new Error(`Temporal at ${address} did not answer within ${timeoutMs} ms: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
