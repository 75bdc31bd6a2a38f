// The HTTP layer of a node client: one undici Pool per node, keep-alive, per-request deadline,
// bodies always consumed, transport failures mapped to NodeUnavailableError. Every HTTP answer
// (2xx and 4xx/5xx alike) is returned, not thrown; `call()` is the throwing variant.
import { inspect } from 'node:util';
import { Pool, type Dispatcher } from 'undici';
import { classifyTransportError, errorCode, NodeHttpError, NodeUnavailableError, pathSecrets, redactPath } from './errors';
import { toOrigin, withQuery, type Query } from './url';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface NodeAddress {
  /** Stable node id from the topology (never the address). */
  id: string;
  /** `http://host:port` or `host:port` (http assumed). */
  address: string;
}

export interface NodeClientOptions {
  /** The node master key (MIROIR_NODE_MASTER_KEY); sent as `Authorization: Bearer`. Never logged. */
  masterKey?: string;
  /** Default per-request deadline covering connect, headers and body (default 10 000 ms). */
  timeoutMs?: number;
  /** Max sockets to the node (default 32). */
  connections?: number;
  /** TCP/TLS connect timeout (default min(timeoutMs, 10 000) ms). */
  connectTimeoutMs?: number;
  /** Idle keep-alive before a socket is closed, unless the node says less (undici default 4 000 ms). */
  keepAliveTimeoutMs?: number;
  /** Fail (reason 'other', UND_ERR_RES_EXCEEDED_MAX_SIZE) on answers larger than this; default unlimited. */
  maxResponseBytes?: number;
  /**
   * Retry a GET/HEAD once when a reused keep-alive socket turns out to be closed by the node
   * (reason 'reset'). Safe because those requests are idempotent; default true.
   */
  retryIdempotentOnReset?: boolean;
}

export interface CallOptions {
  /** Overrides the client's default deadline for this request. */
  timeoutMs?: number;
  /** Aborts the request (reason 'aborted'), e.g. a Temporal activity's cancellation signal. */
  signal?: AbortSignal;
}

export interface RequestOptions extends CallOptions {
  query?: Query;
  /** Serialised with JSON.stringify and sent as application/json. */
  json?: unknown;
  /** Raw bytes sent as is (no re-encoding): NDJSON/CSV/JSON the caller already has. */
  body?: Buffer | Uint8Array | string;
  /** Content type of `body` (default application/json). */
  contentType?: string;
  /**
   * 'json' (default): parse the body when the node says it is JSON, else a string (undefined
   * when empty). 'buffer': the raw bytes, for forwarding an answer without re-serialising.
   */
  responseType?: 'json' | 'buffer';
}

export type ResponseHeaders = Dispatcher.ResponseData['headers'];

export interface NodeResponse<T = unknown> {
  status: number;
  headers: ResponseHeaders;
  /** Parsed JSON (or text / Buffer, see responseType); on 4xx/5xx, Meilisearch's error object. */
  body: T;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECTIONS = 32;

const NO_OPTIONS: RequestOptions = Object.freeze({});
const JSON_TYPE = 'application/json';

/** Thrown as the abort reason of our own deadline, so it is recognisable in a debugger. */
class DeadlineExceeded extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * Throws NodeHttpError for a non-2xx answer, else returns its body. For callers of `request()` that
 * want exceptions.
 */
export function assertOk<T>(nodeId: string, method: string, path: string, res: NodeResponse<unknown>): T {
  if (res.status >= 200 && res.status < 300) return res.body as T;
  throw new NodeHttpError(nodeId, method, redactPath(path), res.status, res.body, pathSecrets(path));
}

export class NodeTransport {
  readonly id: string;
  /** Normalised origin, e.g. `http://10.0.0.5:7700`. */
  readonly address: string;
  readonly timeoutMs: number;
  readonly #pool: Pool;
  readonly #retryOnReset: boolean;
  readonly #masterKey: string | undefined;
  // Precomputed header objects, reused by every request (undici only reads them). Private (#) so
  // the key never shows up in util.inspect, JSON.stringify or a debugger's object preview.
  readonly #baseHeaders: Readonly<Record<string, string>>;
  readonly #jsonHeaders: Readonly<Record<string, string>>;
  readonly #typedHeaders = new Map<string, Readonly<Record<string, string>>>();

  constructor(node: NodeAddress, options: NodeClientOptions = {}) {
    this.id = node.id;
    this.address = toOrigin(node.address);
    this.timeoutMs = positive(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs');
    this.#retryOnReset = options.retryIdempotentOnReset ?? true;
    this.#masterKey = options.masterKey || undefined;
    const base: Record<string, string> = { accept: JSON_TYPE };
    if (options.masterKey) base.authorization = `Bearer ${options.masterKey}`;
    this.#baseHeaders = Object.freeze(base);
    this.#jsonHeaders = Object.freeze({ ...base, 'content-type': JSON_TYPE });
    this.#typedHeaders.set(JSON_TYPE, this.#jsonHeaders);
    const poolOptions: Pool.Options = {
      connections: positive(options.connections, DEFAULT_CONNECTIONS, 'connections'),
      // No pipelining: a slow search must not hold up the requests queued behind it on a socket.
      pipelining: 1,
      connectTimeout: positive(options.connectTimeoutMs, Math.min(this.timeoutMs, 10_000), 'connectTimeoutMs'),
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    };
    if (options.keepAliveTimeoutMs !== undefined) poolOptions.keepAliveTimeout = options.keepAliveTimeoutMs;
    if (options.maxResponseBytes !== undefined) poolOptions.maxResponseSize = positive(options.maxResponseBytes, 0, 'maxResponseBytes');
    this.#pool = new Pool(this.address, poolOptions);
  }

  /**
   * One HTTP request. Resolves with every HTTP answer, whatever its status; rejects only with
   * NodeUnavailableError (no answer: refused, reset, DNS, timeout, aborted, closed).
   */
  async request<T = unknown>(method: HttpMethod, path: string, opts: RequestOptions = NO_OPTIONS): Promise<NodeResponse<T>> {
    const fullPath = withQuery(path, opts.query);
    let body: string | Buffer | Uint8Array | undefined;
    let headers: Readonly<Record<string, string>>;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers = this.#jsonHeaders;
    } else if (opts.body !== undefined) {
      body = opts.body;
      headers = this.#headersFor(opts.contentType ?? JSON_TYPE);
    } else {
      headers = this.#baseHeaders;
    }
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const callerSignal = opts.signal;
    if (callerSignal?.aborted) {
      throw new NodeUnavailableError(this.id, method, redactPath(fullPath), 'aborted', 'ABORTED', callerSignal.reason);
    }

    // One controller for our deadline and the caller's signal. A plain timer (cleared when the
    // answer is read) rather than AbortSignal.timeout, which would leave one pending timer per
    // request until it fires.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DeadlineExceeded(`deadline of ${timeoutMs} ms exceeded`));
    }, timeoutMs);
    let onCallerAbort: (() => void) | undefined;
    if (callerSignal !== undefined) {
      onCallerAbort = (): void => controller.abort(callerSignal.reason);
      callerSignal.addEventListener('abort', onCallerAbort, { once: true });
    }
    const dispatch: Dispatcher.RequestOptions = {
      method,
      path: fullPath,
      headers,
      body: body ?? null,
      signal: controller.signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    };
    const retries = this.#retryOnReset && (method === 'GET' || method === 'HEAD') ? 1 : 0;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.#send<T>(dispatch, opts.responseType);
        } catch (err) {
          if (errorCode(err) === 'UND_ERR_INVALID_ARG') throw err; // a bug in the caller, not the node
          const { reason, code } = classifyTransportError(err, { timedOut, callerAborted: callerSignal?.aborted === true });
          if (reason === 'reset' && attempt < retries) continue;
          throw new NodeUnavailableError(this.id, method, redactPath(fullPath), reason, code, err);
        }
      }
    } finally {
      clearTimeout(timer);
      if (onCallerAbort !== undefined) callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** `request()` that throws NodeHttpError for a non-2xx answer and returns the body. */
  async call<T>(method: HttpMethod, path: string, opts: RequestOptions = NO_OPTIONS): Promise<T> {
    const res = await this.request<T>(method, path, opts);
    if (res.status >= 200 && res.status < 300) return res.body;
    throw this.httpError(method, path, res);
  }

  /** The NodeHttpError for a non-2xx answer of `request()`: message redacted, node error inside. */
  httpError(method: string, path: string, res: NodeResponse<unknown>): NodeHttpError {
    const secrets = pathSecrets(path);
    if (this.#masterKey) secrets.push(this.#masterKey); // defensive: a node never echoes it
    return new NodeHttpError(this.id, method, redactPath(path), res.status, res.body, secrets);
  }

  /** Socket and queue counters of this node's pool (connected, free, pending, queued, running, size). */
  poolStats(): { connected: number; free: number; pending: number; queued: number; running: number; size: number } {
    const s = this.#pool.stats;
    return { connected: s.connected, free: s.free, pending: s.pending, queued: s.queued, running: s.running, size: s.size };
  }

  get closed(): boolean {
    return this.#pool.closed || this.#pool.destroyed;
  }

  /**
   * Graceful close: new requests fail with reason 'closed', in-flight ones finish (bounded by
   * their deadlines). After `graceMs` the remaining sockets are destroyed.
   */
  async close(graceMs = this.timeoutMs): Promise<void> {
    if (this.#pool.destroyed) return;
    if (this.#pool.closed) {
      await this.#pool.destroy().catch(() => undefined);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
      timer.unref();
    });
    const outcome = await Promise.race([this.#pool.close().then(() => 'closed' as const), grace]);
    clearTimeout(timer);
    if (outcome === 'timeout') await this.#pool.destroy().catch(() => undefined);
  }

  /** Immediate close: in-flight requests fail with reason 'closed'. */
  async destroy(): Promise<void> {
    if (!this.#pool.destroyed) await this.#pool.destroy().catch(() => undefined);
  }

  toString(): string {
    return `NodeClient(${this.id} @ ${this.address})`;
  }
  toJSON(): { id: string; address: string } {
    return { id: this.id, address: this.address };
  }
  [inspect.custom](): string {
    return this.toString();
  }

  async #send<T>(dispatch: Dispatcher.RequestOptions, responseType: RequestOptions['responseType']): Promise<NodeResponse<T>> {
    const res = await this.#pool.request(dispatch);
    // From here on the body MUST be consumed, or the socket never returns to the pool. Both
    // readers below consume it fully; on a read error undici has already destroyed the stream.
    if (responseType === 'buffer') {
      const bytes = Buffer.from(await res.body.arrayBuffer());
      return { status: res.statusCode, headers: res.headers, body: bytes as T };
    }
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body: parseBody(text, res.headers['content-type']) as T };
  }

  #headersFor(contentType: string): Readonly<Record<string, string>> {
    let h = this.#typedHeaders.get(contentType);
    if (h === undefined) {
      h = Object.freeze({ ...this.#baseHeaders, 'content-type': contentType });
      // Bounded: callers use a handful of content types (json, ndjson, csv).
      if (this.#typedHeaders.size < 16) this.#typedHeaders.set(contentType, h);
    }
    return h;
  }
}

/** JSON when the node says so (falls back to the text if it is not valid JSON); undefined when empty. */
export function parseBody(text: string, contentType: string | string[] | undefined): unknown {
  if (text === '') return undefined;
  const ct = Array.isArray(contentType) ? contentType[0] : contentType;
  if (ct !== undefined && ct.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
