import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 of a secret: fixed length, so comparisons never branch on the candidate's length. */
export function digestOf(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * A configured secret (master or admin key) compared in constant time (docs/design.md#authentication-and-api-keys). Only the digest
 * is kept, and both sides are digested so timingSafeEqual always sees equal lengths and the time
 * taken reveals nothing about the secret's length or prefix.
 */
export class SecretMatcher {
  private readonly digest?: Buffer;

  constructor(secret: string | undefined) {
    this.digest = secret ? digestOf(secret) : undefined;
  }

  get configured(): boolean {
    return this.digest !== undefined;
  }

  matches(candidate: string | undefined): boolean {
    if (!this.digest || candidate === undefined) return false;
    return timingSafeEqual(digestOf(candidate), this.digest);
  }
}
