import { Client } from 'pg';

/** Postgres channels Miroir publishes on; payloads are informative, listeners reload from tables. */
export const CHANNELS = {
  topology: 'miroir_topology',
  indexes: 'miroir_indexes',
  aliases: 'miroir_aliases',
  keys: 'miroir_keys',
} as const;
export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

export interface Listener {
  close(): Promise<void>;
}

/**
 * LISTENs on `channels` over a dedicated connection (a pooled one cannot hold LISTEN) and calls
 * `onNotify`. On a dropped connection it reconnects with backoff and calls `onReconnect`, because
 * notifications sent while disconnected are lost and the caller must reload from the tables.
 */
export async function listen(
  url: string,
  channels: readonly Channel[],
  onNotify: (channel: Channel, payload: string | undefined) => void,
  onReconnect: () => void,
  onError: (err: Error) => void = () => undefined,
): Promise<Listener> {
  let closed = false;
  let client: Client | undefined;
  let backoff = 250;

  const connect = async (): Promise<void> => {
    const c = new Client({ connectionString: url, application_name: 'miroir-listen' });
    c.on('notification', (msg) => onNotify(msg.channel as Channel, msg.payload));
    c.on('error', (err) => {
      onError(err);
      void reconnect();
    });
    await c.connect();
    for (const ch of channels) await c.query(`LISTEN ${ch}`);
    client = c;
    backoff = 250;
  };

  let reconnecting = false;
  const reconnect = async (): Promise<void> => {
    if (closed || reconnecting) return;
    reconnecting = true;
    await client?.end().catch(() => undefined);
    client = undefined;
    while (!closed) {
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, 10_000);
      try {
        await connect();
        onReconnect();
        break;
      } catch (err) {
        onError(err as Error);
      }
    }
    reconnecting = false;
  };

  await connect();
  return {
    async close() {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}
