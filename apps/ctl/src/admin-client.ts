// HTTP client of the admin API (`/_miroir/*`) for miroir-ctl: the admin key in `X-Admin-Key`, a
// deadline on every call, and every failure turned into one readable line (CtlError).

export class CtlError extends Error {
  override readonly name = 'CtlError';
}

export interface AdminClientOptions {
  url: string;
  adminKey?: string;
  timeoutMs?: number;
}

export interface AdminResponse<T> {
  status: number;
  body: T;
}

export class AdminClient {
  private readonly base: string;

  constructor(private readonly options: AdminClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new CtlError(`invalid --url "${options.url}": expected an http(s) URL such as http://127.0.0.1:7700`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CtlError(`invalid --url "${options.url}": only http and https are supported`);
    this.base = parsed.toString().replace(/\/+$/, '');
  }

  get url(): string {
    return this.base;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path).then((r) => r.body);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body).then((r) => r.body);
  }

  delete<T>(path: string): Promise<T> {
    return this.call<T>('DELETE', path).then((r) => r.body);
  }

  /** Like get() but returns non-2xx answers too, for endpoints whose error answer is data (readiness). */
  async probe<T>(path: string, okStatuses: readonly number[]): Promise<AdminResponse<T>> {
    return this.call<T>('GET', path, undefined, okStatuses);
  }

  private async call<T>(method: string, path: string, body?: unknown, okStatuses: readonly number[] = []): Promise<AdminResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.adminKey) headers['x-admin-key'] = this.options.adminKey;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw new CtlError(`cannot reach Miroir at ${this.base}: ${transportReason(err)}`);
    }
    const text = await res.text();
    const parsed = parseBody(text);
    if (res.ok || okStatuses.includes(res.status)) return { status: res.status, body: parsed as T };
    throw new CtlError(describeError(method, path, res.status, parsed));
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeError(method: string, path: string, status: number, body: unknown): string {
  const e = body as { code?: unknown; message?: unknown } | undefined;
  if (e && typeof e === 'object' && typeof e.code === 'string' && typeof e.message === 'string') {
    const hint = e.code === 'miroir_invalid_auth' ? ' (set --admin-key or MIROIR_ADMIN_KEY)' : '';
    return `${method} ${path} failed: ${status} ${e.code}: ${e.message}${hint}`;
  }
  const excerpt = typeof body === 'string' ? `: ${body.replace(/\s+/g, ' ').slice(0, 200)}` : '';
  return `${method} ${path} failed: HTTP ${status}${excerpt}`;
}

function transportReason(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return 'timed out';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}
