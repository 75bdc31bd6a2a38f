// Errors of node calls. Two kinds, so callers can decide quickly and precisely:
//  - NodeUnavailableError: no HTTP answer at all (refused, reset, DNS, timeout, aborted). The node
//    may be down; quorum/covering logic counts it as a missing replica.
//  - NodeHttpError: the node answered with a non-2xx status; carries Meilisearch's error object,
//    which the API usually forwards to its client unchanged.
// No message built here ever contains a key: request headers never reach these messages, and
// paths under /keys/ (which embed API keys) are redacted.
import type { MeiliErrorBody } from './types';

export type UnavailableReason =
  /** Our deadline (timeoutMs), or undici's headers/body/connect timeout, expired. */
  | 'timeout'
  /** TCP connection refused: nothing listens on the node's port (process down). */
  | 'refused'
  /** The connection was reset or closed by the node before a full answer. */
  | 'reset'
  /** The node's host name does not resolve. */
  | 'dns'
  /** No route to the node's host or network. */
  | 'unreachable'
  /** The caller's AbortSignal fired. */
  | 'aborted'
  /** The client (pool) was closed: the node was removed from the topology. */
  | 'closed'
  | 'other';

/** Base class of every error a node call throws. */
export abstract class NodeError extends Error {
  abstract readonly kind: 'unavailable' | 'http';
  constructor(
    readonly nodeId: string,
    readonly method: string,
    /** The request path, with secrets redacted. */
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class NodeUnavailableError extends NodeError {
  override readonly name = 'NodeUnavailableError';
  readonly kind = 'unavailable' as const;
  constructor(
    nodeId: string,
    method: string,
    path: string,
    readonly reason: UnavailableReason,
    /** The low-level error code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, …) when there is one. */
    readonly causeCode: string | undefined,
    cause?: unknown,
  ) {
    super(
      nodeId,
      method,
      path,
      `Node ${nodeId} unavailable (${reason}${causeCode ? `, ${causeCode}` : ''}) on ${method} ${path}`,
      cause === undefined ? undefined : { cause },
    );
  }
}

export class NodeHttpError extends NodeError {
  override readonly name = 'NodeHttpError';
  readonly kind = 'http' as const;
  /** Meilisearch's error code (`index_not_found`, …), or `http_<status>` when the body had none. */
  readonly code: string;
  readonly type: string;
  readonly link: string;
  /**
   * The node's own error message (without Miroir's prefix), ready to forward to the client that
   * asked. Not enumerable, like `body`: Meilisearch echoes API keys in some messages
   * (`API key \`…\` not found.`), and loggers serialise an error's enumerable properties.
   */
  declare readonly nodeMessage: string;
  /** The parsed response body (Meilisearch's error object, or whatever the node sent). Not enumerable. */
  declare readonly body: unknown;
  constructor(
    nodeId: string,
    method: string,
    /** Already redacted (see redactPath). */
    path: string,
    readonly status: number,
    body: unknown,
    /** Strings to mask in `message` (keys the request carried in its path). */
    secrets: readonly string[] = [],
  ) {
    const err = meiliErrorOf(body);
    const code = err?.code ?? `http_${status}`;
    const nodeMessage = err?.message ?? fallbackMessage(status, body);
    super(nodeId, method, path, `Node ${nodeId} answered ${status} ${code} to ${method} ${path}: ${redact(nodeMessage, secrets)}`);
    this.code = code;
    this.type = err?.type ?? (status >= 500 ? 'internal' : 'invalid_request');
    this.link = err?.link ?? '';
    Object.defineProperty(this, 'nodeMessage', { value: nodeMessage, enumerable: false });
    Object.defineProperty(this, 'body', { value: body, enumerable: false });
  }

  /** The error in Meilisearch's shape, to forward to a client. */
  toMeiliError(): MeiliErrorBody {
    return { message: this.nodeMessage, code: this.code, type: this.type, link: this.link };
  }
}

/** A task did not reach a terminal status in time (waitForTask). */
export class TaskTimeoutError extends Error {
  override readonly name = 'TaskTimeoutError';
  constructor(
    readonly nodeId: string,
    readonly taskUid: number,
    readonly lastStatus: string | undefined,
    timeoutMs: number,
  ) {
    super(`Task ${taskUid} on node ${nodeId} not finished after ${timeoutMs} ms (last status: ${lastStatus ?? 'unknown'})`);
  }
}

/** NodeClients.get() with an id that is not (or no longer) in the topology. */
export class UnknownNodeError extends Error {
  override readonly name = 'UnknownNodeError';
  constructor(readonly nodeId: string) {
    super(`Unknown Meilisearch node "${nodeId}": not in the current topology`);
  }
}

export const isNodeUnavailable = (err: unknown): err is NodeUnavailableError => err instanceof NodeUnavailableError;

/** True for a NodeHttpError, optionally with this Meilisearch error code. */
export function isNodeHttpError(err: unknown, code?: string): err is NodeHttpError {
  return err instanceof NodeHttpError && (code === undefined || err.code === code);
}

/** The Meilisearch error object in a response body, when the body is one. */
export function meiliErrorOf(body: unknown): MeiliErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.message !== 'string' || typeof b.code !== 'string') return undefined;
  return {
    message: b.message,
    code: b.code,
    type: typeof b.type === 'string' ? b.type : '',
    link: typeof b.link === 'string' ? b.link : '',
  };
}

function fallbackMessage(status: number, body: unknown): string {
  // A proxy or a crashed node may answer HTML or plain text: keep a short, single-line excerpt.
  if (typeof body === 'string' && body.length > 0) {
    const line = body.replace(/\s+/g, ' ').trim();
    return `HTTP ${status}: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`;
  }
  return `HTTP ${status} without a Meilisearch error body`;
}

/** Masks every occurrence of each secret (ignoring empty ones) with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('***');
  return out;
}

/** The secrets a request path carries: the key or key uid in `/keys/{key}`. */
export function pathSecrets(path: string): string[] {
  if (!path.startsWith('/keys/')) return [];
  const raw = path.slice('/keys/'.length).split(/[/?]/, 1)[0] ?? '';
  try {
    return [decodeURIComponent(raw)];
  } catch {
    return [raw];
  }
}

/**
 * Removes secrets from a request path before it goes into an error message: the API key in
 * `/keys/{key}`. The query string is dropped too (filters may carry user data and are noise).
 */
export function redactPath(path: string): string {
  const q = path.indexOf('?');
  const p = q === -1 ? path : path.slice(0, q);
  return p.startsWith('/keys/') ? '/keys/***' : p;
}

interface CodedError {
  code?: unknown;
  name?: unknown;
  errors?: unknown;
  cause?: unknown;
}

/** The first `code` found on the error, its AggregateError members (happy eyeballs) or its causes. */
export function errorCode(err: unknown, depth = 0): string | undefined {
  if (typeof err !== 'object' || err === null || depth > 4) return undefined;
  const e = err as CodedError;
  if (typeof e.code === 'string' && e.code !== '') return e.code;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const c = errorCode(inner, depth + 1);
      if (c) return c;
    }
  }
  return errorCode(e.cause, depth + 1);
}

const REASON_BY_CODE: Readonly<Record<string, UnavailableReason>> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  EAI_FAIL: 'dns',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENETDOWN: 'unreachable',
  UND_ERR_DESTROYED: 'closed',
  UND_ERR_CLOSED: 'closed',
  UND_ERR_ABORTED: 'aborted',
  ABORT_ERR: 'aborted',
};

/**
 * Maps a transport failure to a reason. `timedOut`/`callerAborted` say which of the two abort
 * signals fired: both surface as the same abort error from undici, and only the caller knows which.
 */
export function classifyTransportError(
  err: unknown,
  signals: { timedOut: boolean; callerAborted: boolean },
): { reason: UnavailableReason; code: string | undefined } {
  const code = errorCode(err);
  // Our own deadline wins over whatever undici reports for the aborted request.
  if (signals.timedOut) return { reason: 'timeout', code: code ?? 'TIMEOUT' };
  if (signals.callerAborted) return { reason: 'aborted', code: code ?? 'ABORTED' };
  const name = typeof err === 'object' && err !== null ? (err as CodedError).name : undefined;
  if (name === 'TimeoutError') return { reason: 'timeout', code };
  if (name === 'AbortError') return { reason: 'aborted', code };
  return { reason: (code && REASON_BY_CODE[code]) || 'other', code };
}
