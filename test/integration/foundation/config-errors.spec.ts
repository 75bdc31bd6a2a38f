import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@miroir/embedded';

// The built processes, as an operator starts them: a configuration mistake is one line on stderr
// naming the key, exit code 2, and no stack trace.
const root = repoRoot();
const entries = {
  api: join(root, 'dist/apps/api/src/main.js'),
  worker: join(root, 'dist/apps/worker/src/main.js'),
};

function runWith(entry: string, yaml: string | undefined, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'miroir-config-'));
  const file = join(dir, 'miroir.yaml');
  if (yaml !== undefined) writeFileSync(file, yaml);
  return spawnSync(process.execPath, [entry], {
    env: { PATH: process.env.PATH, MIROIR_CONFIG: file, DATABASE_URL: 'postgres://u:p@127.0.0.1:1/x', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe.each(Object.entries(entries))('%s start with a bad configuration', (_name, entry) => {
  it.each([
    ['bad YAML', 'server: [', /is not valid YAML/],
    ['an unknown key', 'server:\n  prot: 1\n', /unknown key server\.prot/],
    ['RF larger than a group', 'cluster:\n  replication_factor: 3\nnodes:\n  - { id: a, address: "http://127.0.0.1:1" }\n', /cluster\.replication_factor: 3 is larger than replica group 0/],
  ])('%s: one line naming the key, exit 2', (_label, yaml, message) => {
    const r = runWith(entry, yaml);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing file is named too', () => {
    const r = spawnSync(process.execPath, [entry], { env: { PATH: process.env.PATH, MIROIR_CONFIG: '/nonexistent/miroir.yaml' }, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/MIROIR_CONFIG: cannot read \/nonexistent\/miroir\.yaml/);
  });
});
