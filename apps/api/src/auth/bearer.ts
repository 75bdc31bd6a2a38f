export type AuthorizationHeader =
  /** No Authorization header, or a scheme other than `Bearer` (Meilisearch: 401 missing header). */
  | { kind: 'missing' }
  /** `Bearer <token>`; the token may be empty (Meilisearch: 403 invalid key). */
  | { kind: 'bearer'; token: string };

/**
 * Reads `Authorization` the way Meilisearch does: the scheme is the text before the first space
 * and must be exactly `Bearer`; anything else counts as a missing header.
 */
export function parseAuthorization(header: string | string[] | undefined): AuthorizationHeader {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return { kind: 'missing' };
  const space = value.indexOf(' ');
  const scheme = space === -1 ? value : value.slice(0, space);
  if (scheme !== 'Bearer') return { kind: 'missing' };
  return { kind: 'bearer', token: space === -1 ? '' : value.slice(space + 1).trim() };
}

/** The first value of a header that may be repeated. */
export function headerValue(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}
