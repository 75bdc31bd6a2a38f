/** A Meilisearch-shaped error: `{ message, code, type, link }` with its HTTP status. */
export type MeiliErrorType = 'invalid_request' | 'internal' | 'auth' | 'system';

export class SimError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly type: MeiliErrorType = 'invalid_request',
  ) {
    super(message);
  }

  toJSON(): { message: string; code: string; type: MeiliErrorType; link: string } {
    return { message: this.message, code: this.code, type: this.type, link: `https://docs.meilisearch.com/errors#${this.code}` };
  }
}
