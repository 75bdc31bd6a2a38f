import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, repoRoot } from '@miroir/embedded';
import { testDir, uniqueSuffix } from '../../support/stack';

// `npm run dev` as a newcomer runs it (the launcher behind it), on free ports so it can run beside
// a developer's own stack: it comes up, answers /health and the Temporal UI, stops everything on
// SIGINT within 15 s, and starts cleanly again — also after the launcher itself was killed -9.
const root = repoRoot();
jest.setTimeout(300_000);

interface Launch {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function cmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
}

describe('npm run dev', () => {
  let env: NodeJS.ProcessEnv;
  let ports: { api: number; ui: number; temporal: number };
  let devDir: string;

  beforeAll(async () => {
    devDir = join(testDir(), `dev-${uniqueSuffix()}`);
    ports = { api: await freePort(), ui: await freePort(), temporal: await freePort() };
    const nodePorts = [await freePort(), await freePort(), await freePort()];
    env = {
      ...process.env,
      MIROIR_DEV_DIR: devDir,
      MIROIR_DEV_PG_PORT: String(await freePort()),
      MIROIR_DEV_NODE_PORTS: nodePorts.join(','),
      MIROIR_SERVER__PORT: String(ports.api),
      MIROIR_SERVER__METRICS_PORT: '0',
      MIROIR_SERVER__TEMPORAL_UI_URL: `http://127.0.0.1:${ports.ui}`,
      MIROIR_TEMPORAL__ADDRESS: `127.0.0.1:${ports.temporal}`,
      MIROIR_MASTER_KEY: '',
      MIROIR_ADMIN_KEY: '',
    };
  });

  function launch(): Launch {
    const proc = spawn(process.execPath, [join(root, 'dist/apps/dev/src/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    return { proc, output: () => out, exited };
  }

  async function waitUp(l: Launch): Promise<void> {
    const deadline = Date.now() + 5 * 60_000;
    while (!l.output().includes('Miroir is up.')) {
      if (l.proc.exitCode !== null) throw new Error(`launcher exited:\n${l.output()}`);
      if (Date.now() > deadline) throw new Error(`not up within 5 minutes:\n${l.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  function stackPids(): Array<{ name: string; pid: number; marker: string }> {
    const file = join(devDir, 'dev', 'pids.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Array<{ name: string; pid: number; marker: string }>) : [];
  }

  it('comes up with the API, the Temporal UI and a banner of URLs and keys', async () => {
    const l = launch();
    await waitUp(l);
    const health = await fetch(`http://127.0.0.1:${ports.api}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'available' });
    expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);
    const keys = JSON.parse(readFileSync(join(devDir, 'dev', 'keys.json'), 'utf8')) as { masterKey: string; adminKey: string };
    const banner = l.output();
    expect(banner).toContain(`http://127.0.0.1:${ports.api}`);
    expect(banner).toContain(`http://127.0.0.1:${ports.ui}`);
    expect(banner).toContain(keys.masterKey);
    expect(banner).toContain(keys.adminKey);
    expect(banner).toMatch(/curl .*\/health/);

    const pids = stackPids();
    expect(pids.map((p) => p.name).sort()).toEqual(['api', 'meili-0', 'meili-1', 'meili-2', 'postgres', 'temporal', 'worker']);
    const t0 = Date.now();
    l.proc.kill('SIGINT');
    await l.exited;
    expect(Date.now() - t0).toBeLessThan(15_000);
    for (const p of pids) expect(cmdline(p.pid)).toBeUndefined();
  });

  it('starts cleanly again, including after the launcher was killed -9', async () => {
    const second = launch();
    await waitUp(second);
    const orphans = stackPids();
    second.proc.kill('SIGKILL'); // the launcher dies; its children (own process groups) live on
    await second.exited;
    expect(orphans.some((p) => cmdline(p.pid) !== undefined)).toBe(true);

    const third = launch();
    await waitUp(third);
    expect(third.output()).toContain('stopped leftovers of a previous run');
    expect((await fetch(`http://127.0.0.1:${ports.api}/health`)).status).toBe(200);
    for (const p of orphans) expect(cmdline(p.pid)?.includes(p.marker) ?? false).toBe(false);
    third.proc.kill('SIGINT');
    await third.exited;
    for (const p of stackPids()) expect(cmdline(p.pid)).toBeUndefined();
  });
});
