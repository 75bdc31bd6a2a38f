// Sends one fuzz request and judges the answer against the bad-input rules (docs/api-compatibility.md,
// "Errors"): answered within 20 s (a per-request timeout, not a speed claim), never a 5xx, every
// error Meilisearch-shaped. Problems are collected rather than thrown so one run reports every
// distinct failure with the exact request.
import { Agent, errors as undiciErrors, request } from 'undici';
import type { FuzzRequest } from './requests';

export const ANSWER_WITHIN_MS = 20_000;

export interface Finding {
  problem: string;
  request: string;
  status?: number;
  response?: string;
}

const agent = new Agent({ connections: 4, headersTimeout: ANSWER_WITHIN_MS, bodyTimeout: ANSWER_WITHIN_MS });
export const closeAgent = (): Promise<void> => agent.close();

/** The request as a reader can replay it: method, path, non-default headers, body (hex when not UTF-8). */
export function describeRequest(r: FuzzRequest): string {
  const headers = r.headers ? ` headers=${JSON.stringify(Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, v && v.length > 200 ? `${v.slice(0, 40)}…(${v.length} chars)` : v])))}` : '';
  let body = '';
  if (r.body !== undefined) {
    const buf = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
    const text = buf.toString('utf8');
    const valid = Buffer.from(text, 'utf8').equals(buf);
    const shown = valid ? JSON.stringify(text.length > 600 ? `${text.slice(0, 300)}…${text.slice(-100)}` : text) : `hex:${buf.subarray(0, 300).toString('hex')}`;
    body = ` body(${buf.length} bytes)=${shown}`;
  }
  const path = r.path.length > 600 ? `${r.path.slice(0, 400)}…(${r.path.length} chars)` : r.path;
  return `${r.method} ${path}${headers}${body}`;
}

/** Meilisearch's error shape: four strings, type among Meilisearch's error types. */
function shapeProblem(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'error body is not JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'error body is not an object';
  const b = body as Record<string, unknown>;
  for (const k of ['message', 'code', 'type', 'link'] as const) if (typeof b[k] !== 'string') return `error body lacks string \`${k}\``;
  if (!['invalid_request', 'internal', 'auth', 'system'].includes(b.type as string)) return `error type \`${String(b.type)}\` is not a Meilisearch type`;
  return undefined;
}

export type Outcome = { kind: 'answered'; status: number; text: string } | { kind: 'client-refused' } | { kind: 'failed'; error: string };

export async function send(base: string, masterKey: string, r: FuzzRequest): Promise<Outcome> {
  const headers: Record<string, string> = { authorization: `Bearer ${masterKey}` };
  if (r.body !== undefined) headers['content-type'] = 'application/json';
  for (const [k, v] of Object.entries(r.headers ?? {})) {
    if (v === null) delete headers[k];
    else headers[k] = v;
  }
  try {
    const res = await request(`${base}${r.path}`, { method: r.method, headers, body: r.body, dispatcher: agent, signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
    return { kind: 'answered', status: res.statusCode, text: await res.body.text() };
  } catch (err) {
    // undici refusing to send a header or path it considers invalid is our client's limit, not the server's.
    if (err instanceof undiciErrors.InvalidArgumentError || err instanceof undiciErrors.NotSupportedError) return { kind: 'client-refused' };
    const e = err as Error & { code?: string };
    return { kind: 'failed', error: `${e.name}: ${e.code ?? ''} ${e.message}` };
  }
}

/** The problem with an outcome, if any. */
export function judge(r: FuzzRequest, o: Outcome): Finding | undefined {
  if (o.kind === 'client-refused') return undefined;
  if (o.kind === 'failed') return { problem: /timeout|abort/i.test(o.error) ? `no answer within ${ANSWER_WITHIN_MS} ms` : `connection error (${o.error})`, request: describeRequest(r) };
  const response = o.text.length > 400 ? `${o.text.slice(0, 400)}…` : o.text;
  if (o.status >= 500) return { problem: `${o.status} answer`, request: describeRequest(r), status: o.status, response };
  // Meilisearch answers an unknown path (404) or a known path with another method (405) with an
  // empty body; every other error carries its JSON shape.
  if ((o.status === 404 || o.status === 405) && o.text === '') return undefined;
  if (o.status >= 400) {
    const p = shapeProblem(o.text);
    if (p) return { problem: p, request: describeRequest(r), status: o.status, response };
  }
  return undefined;
}

/** One finding per (problem, status, error code), with how many cases hit it: the report stays readable. */
export function dedupe(findings: readonly Finding[]): (Finding & { cases: number })[] {
  const seen = new Map<string, Finding & { cases: number }>();
  for (const f of findings) {
    const code = /"code":"([^"]+)"/.exec(f.response ?? '')?.[1] ?? '';
    const key = `${f.problem}|${f.status}|${code}`;
    const prev = seen.get(key);
    if (prev) prev.cases++;
    else seen.set(key, { ...f, cases: 1 });
  }
  return [...seen.values()];
}
