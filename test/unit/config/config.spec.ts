import { ConfigError, parseConfig, redactSecrets } from '@miroir/config';

const nodes3 = `
nodes:
  - { id: meili-0, address: "http://127.0.0.1:7701" }
  - { id: meili-1, address: "http://127.0.0.1:7702" }
  - { id: meili-2, address: "http://127.0.0.1:7703" }
`;

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('fills every default from an empty file', () => {
    const { config, env } = parseConfig('', {});
    expect(env).toBe('development');
    expect(config.server.port).toBe(7700);
    expect(config.cluster).toEqual({ shards: 64, replication_factor: 2, replica_groups: 1, write_quorum: 'majority', unavailable_shards: 'partial' });
    expect(config.temporal.task_queue).toBe('miroir');
  });

  it('reads a YAML file and applies MIROIR_<SECTION>__<KEY> overrides on top', () => {
    const { config } = parseConfig(`cluster:\n  shards: 16\n${nodes3}`, { MIROIR_CLUSTER__SHARDS: '32', MIROIR_SERVER__PORT: '7800' });
    expect(config.cluster.shards).toBe(32);
    expect(config.server.port).toBe(7800);
    expect(config.nodes.map((n) => n.id)).toEqual(['meili-0', 'meili-1', 'meili-2']);
    expect(config.nodes[0]!.group).toBe(0);
  });

  it('takes the seed node list from MIROIR_NODES', () => {
    const { config } = parseConfig('', { MIROIR_NODES: '[{"id":"a","address":"http://h:1"},{"id":"b","address":"http://h:2"}]' });
    expect(config.nodes).toHaveLength(2);
  });

  it.each([
    ['bad YAML', 'cluster: [unclosed', /^config error: miroir\.yaml is not valid YAML at line 1/],
    ['an unknown key', 'cluster:\n  shard: 3', /^config error: unknown key cluster\.shard$/],
    ['an unknown section', 'clustr: {}', /^config error: unknown key clustr$/],
    ['a wrong type', 'server:\n  port: "high"', /^config error: server\.port: /],
    ['an out-of-range value', 'cluster:\n  write_quorum: most', /^config error: cluster\.write_quorum: /],
    ['RF larger than a group', `cluster:\n  replication_factor: 4\n${nodes3}`, /^config error: cluster\.replication_factor: 4 is larger than replica group 0 \(3 nodes\)$/],
    ['a node in a missing group', `nodes:\n  - { id: a, address: "http://h:1", group: 1 }`, /^config error: nodes\.0\.group: group 1 does not exist/],
    ['a duplicate node id', `cluster:\n  replication_factor: 1\nnodes:\n  - { id: a, address: "http://h:1" }\n  - { id: a, address: "http://h:2" }`, /^config error: nodes\.1\.id: duplicate node id "a"$/],
    ['a node address that is not a URL', `cluster:\n  replication_factor: 1\nnodes:\n  - { id: a, address: "h:1" }`, /^config error: nodes\.0\.address: must be an http\(s\) URL/],
    ['a secret in the file', 'server:\n  master_key: hunter2', /secrets are read only from the environment/],
    ['a migration grace shorter than the pods\' routing bound', 'rebalance:\n  grace_ms: 1000', /^config error: rebalance\.grace_ms: must be at least 3000: API pods may route writes by a topology up to 2 s old/],
  ])('rejects %s with one line naming the key', (_label, yaml, message) => {
    const err = errorOf(() => parseConfig(yaml, {}, 'miroir.yaml'));
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('\n');
    expect(err.message).not.toContain('hunter2');
  });

  it('names a bad environment override', () => {
    expect(errorOf(() => parseConfig('', { MIROIR_CLUSTER__SHARDS: 'many' })).message).toMatch(/^config error: cluster\.shards: /);
  });

  it('refuses production without a master key, as Meilisearch does', () => {
    expect(errorOf(() => parseConfig('', { MIROIR_ENV: 'production' })).message).toMatch(/MIROIR_MASTER_KEY/);
    expect(parseConfig('', { MIROIR_ENV: 'production', MIROIR_MASTER_KEY: 'k'.repeat(16) }).secrets.masterKey).toBe('k'.repeat(16));
  });

  it('reads secrets only from the environment and can redact them from foreign messages', () => {
    const { secrets } = parseConfig('', { MIROIR_MASTER_KEY: 'master-secret', DATABASE_URL: 'postgres://u:pw-secret@h/db' });
    const text = redactSecrets('failed for master-secret at postgres://u:pw-secret@h/db', secrets);
    expect(text).not.toContain('master-secret');
    expect(text).not.toContain('pw-secret');
  });
});

describe('loggable URLs', () => {
  it('masks API keys in /keys paths and drops query strings', () => {
    const { loggableUrl } = jest.requireActual<typeof import('@miroir/config')>('@miroir/config');
    expect(loggableUrl('/keys/d0552b41536279a0ad88bd595327b96f01176a60c2243e906c52ac02375f9bc4')).toBe('/keys/***');
    expect(loggableUrl('/keys/abc/extra')).toBe('/keys/***/extra');
    expect(loggableUrl('/indexes/movies/search?q=secret+query')).toBe('/indexes/movies/search');
  });
});
