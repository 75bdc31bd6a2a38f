import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { configSchema, type MiroirConfig } from './schema';
import { readSecrets, type MiroirEnv, type MiroirSecrets } from './secrets';

/** A user error in the configuration: printed as one line, never with a stack trace. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface LoadedConfig {
  config: MiroirConfig;
  secrets: MiroirSecrets;
  env: MiroirEnv;
  /** The file the configuration was read from, if any. */
  source?: string;
}

const SECRET_KEYS = ['master_key', 'admin_key', 'node_master_key', 'database_url', 'password'];

/**
 * Environment overrides: MIROIR_<SECTION>__<KEY>=value, e.g. MIROIR_CLUSTER__SHARDS=32 or
 * MIROIR_SERVER__PORT=7800. Values are parsed as YAML scalars/flow values, so numbers, booleans and
 * `[a, b]` lists work. MIROIR_NODES takes the whole seed list as YAML/JSON.
 */
function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (name === 'MIROIR_NODES') {
      raw.nodes = parseValue(name, value);
      continue;
    }
    const m = /^MIROIR_([A-Z0-9_]+?)__([A-Z0-9_]+)$/.exec(name);
    if (!m) continue;
    const section = m[1]!.toLowerCase();
    const key = m[2]!.toLowerCase();
    const current = raw[section];
    const target: Record<string, unknown> =
      current && typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, unknown>) : {};
    target[key] = parseValue(name, value);
    raw[section] = target;
  }
}

function parseValue(name: string, value: string): unknown {
  try {
    return parseYaml(value);
  } catch {
    throw new ConfigError(`config error: environment variable ${name} is not a valid value`);
  }
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
    const secret = issue.keys.find((k) => SECRET_KEYS.includes(k));
    if (secret) {
      return `config error: ${keys.join(', ')}: secrets are read only from the environment (MIROIR_MASTER_KEY, MIROIR_ADMIN_KEY, MIROIR_NODE_MASTER_KEY, DATABASE_URL), never from the config file`;
    }
    return `config error: unknown key ${keys.join(', ')}`;
  }
  return `config error: ${path || '(root)'}: ${issue.message}`;
}

/** Cross-field rules the schema cannot express. */
function checkTopology(config: MiroirConfig): string | undefined {
  const ids = new Set<string>();
  for (const [i, node] of config.nodes.entries()) {
    if (ids.has(node.id)) return `config error: nodes.${i}.id: duplicate node id "${node.id}"`;
    ids.add(node.id);
    if (node.group >= config.cluster.replica_groups) {
      return `config error: nodes.${i}.group: group ${node.group} does not exist (cluster.replica_groups is ${config.cluster.replica_groups})`;
    }
  }
  if (config.nodes.length === 0) return undefined;
  for (let g = 0; g < config.cluster.replica_groups; g++) {
    const size = config.nodes.filter((n) => n.group === g).length;
    if (size === 0) return `config error: nodes: replica group ${g} has no node`;
    if (config.cluster.replication_factor > size) {
      return `config error: cluster.replication_factor: ${config.cluster.replication_factor} is larger than replica group ${g} (${size} node${size === 1 ? '' : 's'})`;
    }
  }
  return undefined;
}

/** Parses and validates a configuration from YAML text (may be empty) plus the environment. */
export function parseConfig(yamlText: string | undefined, env: NodeJS.ProcessEnv, source?: string): LoadedConfig {
  let raw: unknown = {};
  if (yamlText !== undefined && yamlText.trim() !== '') {
    try {
      raw = parseYaml(yamlText) ?? {};
    } catch (err) {
      const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
      const first = (err as Error).message.split('\n')[0];
      throw new ConfigError(`config error: ${source ?? 'configuration'} is not valid YAML${where}: ${first}`);
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`config error: ${source ?? 'configuration'} must be a YAML mapping of sections`);
  }
  const mutable = { ...(raw as Record<string, unknown>) };
  applyEnvOverrides(mutable, env);

  const parsed = configSchema.safeParse(mutable);
  if (!parsed.success) throw new ConfigError(formatIssue(parsed.error.issues[0]!));
  const topologyError = checkTopology(parsed.data);
  if (topologyError) throw new ConfigError(topologyError);

  const mode = env.MIROIR_ENV ?? 'development';
  if (mode !== 'development' && mode !== 'production') {
    throw new ConfigError(`config error: MIROIR_ENV: must be "development" or "production", got "${mode}"`);
  }
  const secrets = readSecrets(env);
  if (mode === 'production' && !secrets.masterKey) {
    throw new ConfigError('config error: MIROIR_MASTER_KEY: a master key is required when MIROIR_ENV=production');
  }
  return { config: parsed.data, secrets, env: mode, source };
}

/** Loads the file named by MIROIR_CONFIG (if any) and applies the environment. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const file = env.MIROIR_CONFIG;
  if (!file) return parseConfig(undefined, env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`config error: MIROIR_CONFIG: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseConfig(text, env, file);
}
