import { createHmac } from 'node:crypto';

/**
 * The value of the API key with `uid`, as Meilisearch derives it: the hex HMAC-SHA256 of the uid's
 * hyphenated text under the master key (checked against Meilisearch 1.50). Miroir never stores key
 * values: they follow from the master key and the uid, so a client that knows Meilisearch's rule
 * computes the same value, and tenant tokens signed with a key can be verified from its uid alone.
 */
export function keyValue(masterKey: string, uid: string): string {
  return createHmac('sha256', masterKey).update(uid).digest('hex');
}
