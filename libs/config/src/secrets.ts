/** Secrets come only from the environment and are never logged or echoed in errors. */
export interface MiroirSecrets {
  /** Client-facing master key (MIROIR_MASTER_KEY). Required when MIROIR_ENV=production. */
  masterKey?: string;
  /** Key for /_miroir/* (MIROIR_ADMIN_KEY); falls back to the master key when unset. */
  adminKey?: string;
  /** Key Miroir presents to the Meilisearch nodes (MIROIR_NODE_MASTER_KEY). */
  nodeMasterKey?: string;
  /** Postgres connection string (DATABASE_URL). */
  databaseUrl?: string;
}

export type MiroirEnv = 'development' | 'production';

export function readSecrets(env: NodeJS.ProcessEnv): MiroirSecrets {
  const pick = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v === '' ? undefined : v;
  };
  return {
    masterKey: pick('MIROIR_MASTER_KEY'),
    adminKey: pick('MIROIR_ADMIN_KEY'),
    nodeMasterKey: pick('MIROIR_NODE_MASTER_KEY'),
    databaseUrl: pick('DATABASE_URL'),
  };
}

/** Replaces any secret value found in `text` by `***`, for messages that quote foreign errors. */
export function redactSecrets(text: string, secrets: MiroirSecrets): string {
  let out = text;
  for (const value of Object.values(secrets)) {
    if (typeof value === 'string' && value.length >= 4) out = out.split(value).join('***');
  }
  return out.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)[^@\s]+@/gi, '$1***@');
}
