// Command-line flags and MEILI_* environment variables, as Meilisearch reads them (flags win).
export interface NodeConfig {
  host: string;
  port: number;
  dbPath: string;
  masterKey: string | undefined;
  env: 'development' | 'production';
  payloadLimitBytes: number;
  simFaults: boolean;
  /** WAL bytes before a snapshot compaction (MEILI_SIM_COMPACT_AFTER_BYTES; default 128 MiB). */
  compactAfterBytes: number | undefined;
}

export class ConfigError extends Error {}

/** Flags that take no value. Every other --flag consumes the next argument (or its =value). */
const BOOLEAN_FLAGS = new Set([
  'no-analytics',
  'sim-faults',
  'ignore-missing-dump',
  'ignore-dump-if-db-exists',
  'ignore-missing-snapshot',
  'ignore-snapshot-if-db-exists',
  'ssl-require-auth',
  'ssl-resumption',
  'ssl-tickets',
  'experimental-enable-metrics',
  'experimental-reduce-indexing-memory-usage',
  'experimental-enable-logs-route',
  'experimental-contains-filter',
  'experimental-dumpless-upgrade',
  'experimental-replication-parameters',
  'experimental-no-edition-2024-for-settings',
  'experimental-no-snapshot-compaction',
  'help',
  'version',
]);

export function parseHttpAddr(addr: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(addr) ?? /^([^:]+):(\d+)$/.exec(addr);
  if (!m) throw new ConfigError(`invalid --http-addr \`${addr}\`: expected HOST:PORT`);
  const port = Number(m[2]);
  if (port > 65535) throw new ConfigError(`invalid port in --http-addr \`${addr}\``);
  return { host: m[1]!, port };
}

/** "100 MB", "100Mb", "104857600" → bytes (decimal units as byte-unit parses them; *iB binary). */
export function parseByteSize(raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)(i?)[bB]?\s*$/.exec(raw);
  if (!m) throw new ConfigError(`invalid byte size \`${raw}\``);
  const base = m[3] ? 1024 : 1000;
  const exp = { '': 0, k: 1, m: 2, g: 3, t: 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(m[1]) * base ** exp);
}

export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): NodeConfig {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument \`${arg}\``);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (eq > 0) flags.set(name, arg.slice(eq + 1));
    else if (BOOLEAN_FLAGS.has(name)) flags.set(name, true);
    else {
      const value = argv[i + 1];
      if (value === undefined) throw new ConfigError(`flag --${name} needs a value`);
      flags.set(name, value);
      i++;
    }
  }
  const str = (flag: string, envName: string): string | undefined => {
    const f = flags.get(flag);
    if (typeof f === 'string') return f;
    return env[envName] !== undefined && env[envName] !== '' ? env[envName] : undefined;
  };
  const { host, port } = parseHttpAddr(str('http-addr', 'MEILI_HTTP_ADDR') ?? '127.0.0.1:7700');
  const envName = str('env', 'MEILI_ENV') ?? 'development';
  if (envName !== 'development' && envName !== 'production') {
    throw new ConfigError(`invalid value \`${envName}\` for --env: expected \`development\` or \`production\``);
  }
  const masterKey = str('master-key', 'MEILI_MASTER_KEY');
  if (envName === 'production') {
    if (!masterKey) {
      throw new ConfigError(
        'In production mode, you must provide a master key to secure your instance. It can be specified via the MEILI_MASTER_KEY environment variable or the --master-key launch option.',
      );
    }
    if (Buffer.byteLength(masterKey) < 16) {
      throw new ConfigError('The master key must be at least 16 bytes in a production environment.');
    }
  }
  const limitRaw = str('http-payload-size-limit', 'MEILI_HTTP_PAYLOAD_SIZE_LIMIT');
  return {
    host,
    port,
    dbPath: str('db-path', 'MEILI_DB_PATH') ?? './data.ms',
    masterKey,
    env: envName,
    payloadLimitBytes: limitRaw ? parseByteSize(limitRaw) : 100 * 1024 * 1024,
    simFaults: flags.get('sim-faults') === true || env.MEILI_SIM_FAULTS === 'true',
    compactAfterBytes: env.MEILI_SIM_COMPACT_AFTER_BYTES ? parseByteSize(env.MEILI_SIM_COMPACT_AFTER_BYTES) : undefined,
  };
}
