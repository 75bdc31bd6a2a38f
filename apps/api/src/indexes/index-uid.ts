import { errors } from '../errors/catalog';

const UID = /^[A-Za-z0-9_-]+$/;
const MAX_UID_BYTES = 512;

export function isValidIndexUid(uid: string): boolean {
  return UID.test(uid) && Buffer.byteLength(uid) <= MAX_UID_BYTES;
}

/** Meilisearch's rule for index uids; throws its `invalid_index_uid` otherwise. */
export function assertIndexUid(uid: string): string {
  if (!isValidIndexUid(uid)) throw errors.invalidIndexUid(uid);
  return uid;
}
