// Issue 7 (4): the cost of an Idempotency-Key check as the table grows — 1,000, 10,000 and 100,000
// stored keys — on a real Postgres (embedded), through IdempotencyService exactly as the API runs
// it. Run after the build: `node dist/bench/idempotency-lookup.js`.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@miroir/config';
import { freePort, startEmbeddedPostgres } from '@miroir/embedded';
import { openStore } from '@miroir/store';
import { IdempotencyService } from '../apps/api/src/idempotency/idempotency.service';

const SIZES = [1_000, 10_000, 100_000];
const PROBES = 2_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}
function p99(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length * 0.99)]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'miroir-bench-idem-'));
  chmodSync(dir, 0o755); // Postgres runs as `postgres` when we are root and must reach its data dir
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort() });
  try {
    const ds = await openStore(await pg.createDatabase('bench'));
    const service = new IdempotencyService(ds, parseConfig('', {}));
    console.log(`Idempotency-Key check vs table size — ${PROBES} probes per size, node ${process.version}`);
    let stored = 0;
    for (const size of SIZES) {
      // Fill to `size` keys with one INSERT … SELECT (generate_series): filling is not what we time.
      await ds.query(
        `INSERT INTO idempotency_keys (key, body_hash, state, status_code, response, expires_at)
         SELECT 'fill:' || g, md5(g::text), 'done', 202, '{"taskUid":1}'::jsonb, now() + interval '1 day'
         FROM generate_series($1::int, $2::int) g`,
        [stored + 1, size],
      );
      stored = size;
      await ds.query('ANALYZE idempotency_keys');
      const fresh: number[] = [];
      const replay: number[] = [];
      for (let i = 0; i < PROBES; i++) {
        const key = `probe:${size}:${randomBytes(8).toString('hex')}`;
        let t0 = process.hrtime.bigint();
        await service.reserve(key, 'h', 1_000); // a new key: the INSERT wins
        fresh.push(Number(process.hrtime.bigint() - t0) / 1e6);
        await service.complete(key, 202, { taskUid: i });
        t0 = process.hrtime.bigint();
        await service.reserve(key, 'h', 1_000); // a repeat: the INSERT loses, the stored answer is read
        replay.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      console.log(
        `${String(size).padStart(7)} keys stored: new key median ${median(fresh).toFixed(3)} ms p99 ${p99(fresh).toFixed(3)} ms | ` +
          `repeat median ${median(replay).toFixed(3)} ms p99 ${p99(replay).toFixed(3)} ms`,
      );
    }
    await ds.destroy();
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
