import { createServer, connect, type Socket } from 'node:net';

/**
 * A TCP forwarder a test can partition or slow down, in front of any server (a real Meilisearch
 * node included): `blackhole()` keeps every connection open but drops what flows through it (a
 * network partition as an application sees it: no error, no answer), `heal()` resets the held
 * connections and forwards again (clients reconnect, as after a real one), `delay(ms)` holds every
 * answer that long before passing it on (a slow node or link; 0 turns it off).
 */
export interface TcpProxy {
  readonly port: number;
  blackhole(): void;
  delay(ms: number): void;
  heal(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let partitioned = false;
  let delayMs = 0;
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const forget = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => {
      if (!partitioned) upstream.write(chunk);
    });
    // Chunks keep their order even when the delay changes: none is released before the one ahead.
    let releaseAt = 0;
    upstream.on('data', (chunk) => {
      if (partitioned) return;
      releaseAt = Math.max(Date.now() + delayMs, releaseAt);
      const wait = releaseAt - Date.now();
      if (wait > 0) setTimeout(() => client.writable && client.write(chunk), wait);
      else client.write(chunk);
    });
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    blackhole() {
      partitioned = true;
    },
    delay(ms) {
      delayMs = ms;
    },
    heal() {
      for (const [client, upstream] of [...pairs]) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      partitioned = false;
    },
    async close() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
