import { hideReservedAttributeNames } from '@miroir/core';

export type MeiliErrorType = 'invalid_request' | 'internal' | 'auth' | 'system';

export interface MeiliErrorBody {
  message: string;
  code: string;
  type: MeiliErrorType;
  link: string;
}

/** An error answered in Meilisearch's shape `{message, code, type, link}` with its HTTP status. */
export class MeiliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly type: MeiliErrorType = 'invalid_request',
    /** Extra response headers (e.g. X-Miroir-Degraded on a 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): MeiliErrorBody {
    return { message: this.message, code: this.code, type: this.type, link: `https://docs.meilisearch.com/errors#${this.code}` };
  }

  /** Rebuilds an error a node answered, keeping its code, message, type and status. */
  static fromNode(status: number, body: unknown): MeiliError {
    const b = (body ?? {}) as Partial<MeiliErrorBody>;
    const type = (['invalid_request', 'internal', 'auth', 'system'] as const).find((t) => t === b.type) ?? 'internal';
    // Nodes list `_miroir_shard` among the filterable attributes; clients never see it (docs/design.md#reserved-attributes).
    const message = typeof b.message === 'string' ? hideReservedAttributeNames(b.message) : 'node error';
    return new MeiliError(typeof b.code === 'string' ? b.code : 'internal', message, status, type);
  }
}
