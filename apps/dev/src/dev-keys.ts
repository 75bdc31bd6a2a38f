import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface DevKeys {
  masterKey: string;
  adminKey: string;
  nodeMasterKey: string;
  /** Which keys came from the environment rather than being generated. */
  fromEnv: { masterKey: boolean; adminKey: boolean };
}

/**
 * Keys for the development stack: MIROIR_MASTER_KEY / MIROIR_ADMIN_KEY when set, otherwise keys
 * generated once and kept in .miroir/dev/keys.json (mode 600), so a restart keeps them and the
 * dev nodes' master key (which is baked into their data) stays valid.
 */
export function resolveDevKeys(file: string, env: NodeJS.ProcessEnv): DevKeys {
  let stored: Partial<Record<'masterKey' | 'adminKey' | 'nodeMasterKey', string>> = {};
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as typeof stored;
    } catch {
      stored = {};
    }
  }
  const gen = (): string => randomBytes(24).toString('base64url');
  const generated = {
    masterKey: stored.masterKey ?? gen(),
    adminKey: stored.adminKey ?? gen(),
    nodeMasterKey: stored.nodeMasterKey ?? gen(),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(generated, null, 2), { mode: 0o600 });
  return {
    masterKey: env.MIROIR_MASTER_KEY || generated.masterKey,
    adminKey: env.MIROIR_ADMIN_KEY || generated.adminKey,
    nodeMasterKey: env.MIROIR_NODE_MASTER_KEY || generated.nodeMasterKey,
    fromEnv: { masterKey: Boolean(env.MIROIR_MASTER_KEY), adminKey: Boolean(env.MIROIR_ADMIN_KEY) },
  };
}
