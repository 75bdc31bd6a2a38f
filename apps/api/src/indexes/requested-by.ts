import { principalOf } from '../auth/principal';

/**
 * Who asked, for the MiroirRequestedBy search attribute of the workflows a request starts: the API
 * key's uid for an API key (never its value), `master` for the master key, `api` otherwise.
 */
export function requestedBy(request: object): string {
  const p = principalOf(request);
  if (!p) return 'api';
  if (p.kind === 'key') return `key:${p.uid}`;
  return p.kind === 'open' ? 'api' : p.kind;
}
