// Raw HTTP against a node, and the comparison of two answers: volatile fields (uids, timestamps,
// durations) are dropped, ranking scores compared within a tolerance, everything else exactly.

export interface Answer {
  status: number;
  body: unknown;
}

export interface RawRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** JSON-encoded unless it is already a string (a string is sent as is: malformed bodies). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Overrides the node's key (`null` sends no Authorization header). */
  key?: string | null;
}

export async function call(url: string, key: string, req: RawRequest): Promise<Answer> {
  const headers: Record<string, string> = { ...req.headers };
  const k = req.key === undefined ? key : req.key;
  if (k !== null) headers['Authorization'] = `Bearer ${k}`;
  let body: string | undefined;
  if (req.body !== undefined) {
    body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(url + req.path, { method: req.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    /* not JSON: compare the text */
  }
  return { status: res.status, body: parsed };
}

/**
 * Fields whose values differ between any two nodes by nature (ids allocated, clocks, speed,
 * random request ids): both answers must have them or both lack them, values are not compared.
 */
const VOLATILE = new Set(['uid', 'taskUid', 'batchUid', 'enqueuedAt', 'startedAt', 'finishedAt', 'duration', 'processingTimeMs', 'createdAt', 'updatedAt', 'requestUid']);

/**
 * `_rankingScore` tolerance. Both engines compute the score as milli's mixed-radix fold of
 * per-rule (rank, max) pairs, so when the rule inputs agree the floats are bit-identical; the only
 * freedom left is float formatting (serde prints the shortest round-trip f64, as JS does), so 1e-9
 * only absorbs last-digit noise and any real disagreement in a rule's rank shows up as a
 * difference of at least 1/(product of maxima) — far above it for the queries of this suite.
 */
export const SCORE_TOLERANCE = 1e-9;
const SCORE_KEYS = new Set(['_rankingScore', 'score', 'attributeRankingOrderScore', 'queryWordDistanceScore']);

export interface CompareOptions {
  /** Compare error `message` fields too (default true). */
  messages?: boolean;
  /** Extra keys to drop everywhere. */
  ignore?: readonly string[];
}

/** Every difference between the two answers as `path: real ≠ dev` lines (empty when equal). */
export function diff(real: Answer, dev: Answer, opts: CompareOptions = {}): string[] {
  const out: string[] = [];
  const ignore = new Set(opts.ignore ?? []);
  if (opts.messages === false) ignore.add('message');
  if (real.status !== dev.status) out.push(`status: ${real.status} ≠ ${dev.status}`);
  walk(real.body, dev.body, '$', ignore, out);
  return out;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

function walk(a: unknown, b: unknown, path: string, ignore: ReadonlySet<string>, out: string[]): void {
  if (out.length > 40) return;
  const key = path.slice(path.lastIndexOf('.') + 1);
  if (typeof a === 'number' && typeof b === 'number' && SCORE_KEYS.has(key)) {
    if (Math.abs(a - b) > SCORE_TOLERANCE) out.push(`${path}: ${a} ≠ ${b}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      const ids = (xs: unknown[]): unknown[] => xs.map((x) => (x !== null && typeof x === 'object' && 'id' in x ? (x as { id: unknown }).id : x));
      out.push(`${path}: length ${a.length} ≠ ${b.length} (${show(ids(a))} ≠ ${show(ids(b))})`);
      return;
    }
    a.forEach((x, i) => walk(x, b[i], `${path}[${i}]`, ignore, out));
    return;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].filter((k) => !ignore.has(k));
    for (const k of keys) {
      if (!(k in ao)) out.push(`${path}.${k}: missing on the real node, dev has ${show(bo[k])}`);
      else if (!(k in bo)) out.push(`${path}.${k}: missing on the dev node, real has ${show(ao[k])}`);
      else if (!VOLATILE.has(k)) walk(ao[k], bo[k], `${path}.${k}`, ignore, out);
    }
    return;
  }
  if (!Object.is(a, b)) out.push(`${path}: ${show(a)} ≠ ${show(b)}`);
}

/** Hit ids of a search answer, for readable failure output. */
export function hitIds(ans: Answer): unknown[] {
  const hits = (ans.body as { hits?: Array<{ id?: unknown }> } | null)?.hits;
  return Array.isArray(hits) ? hits.map((h) => h.id) : [];
}
