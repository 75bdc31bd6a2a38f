import { inspect } from 'node:util';
import {
  classifyTransportError,
  errorCode,
  isNodeHttpError,
  isNodeUnavailable,
  meiliErrorOf,
  NodeHttpError,
  NodeUnavailableError,
  pathSecrets,
  redact,
  redactPath,
} from '@miroir/meili/errors';
import { assertOk, parseBody } from '@miroir/meili/transport';

const coded = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code });
const none = { timedOut: false, callerAborted: false };

describe('classifyTransportError', () => {
  it.each([
    ['ECONNREFUSED', 'refused'],
    ['ECONNRESET', 'reset'],
    ['EPIPE', 'reset'],
    ['UND_ERR_SOCKET', 'reset'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['ETIMEDOUT', 'timeout'],
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['EHOSTUNREACH', 'unreachable'],
    ['UND_ERR_CLOSED', 'closed'],
    ['UND_ERR_DESTROYED', 'closed'],
    ['UND_ERR_ABORTED', 'aborted'],
    ['EWHATEVER', 'other'],
  ])('%s → %s', (code, reason) => {
    expect(classifyTransportError(coded(code), none)).toEqual({ reason, code });
  });

  it('finds the code inside an AggregateError (happy eyeballs) or a cause chain', () => {
    const agg = new AggregateError([new Error('no code'), coded('ECONNREFUSED')], 'connect failed');
    expect(classifyTransportError(agg, none).reason).toBe('refused');
    const wrapped = new Error('outer', { cause: new Error('mid', { cause: coded('ECONNRESET') }) });
    expect(errorCode(wrapped)).toBe('ECONNRESET');
    expect(errorCode('string error')).toBeUndefined();
    expect(classifyTransportError(undefined, none)).toEqual({ reason: 'other', code: undefined });
  });

  it('says timeout or aborted according to which signal fired, whatever undici reports', () => {
    const abortErr = Object.assign(new Error('aborted'), { name: 'AbortError', code: 'UND_ERR_ABORTED' });
    expect(classifyTransportError(abortErr, { timedOut: true, callerAborted: false }).reason).toBe('timeout');
    expect(classifyTransportError(abortErr, { timedOut: false, callerAborted: true }).reason).toBe('aborted');
    expect(classifyTransportError(Object.assign(new Error('t'), { name: 'TimeoutError' }), none).reason).toBe('timeout');
  });
});

describe('NodeHttpError', () => {
  const body = { message: 'Index `movies` not found.', code: 'index_not_found', type: 'invalid_request', link: 'https://docs.meilisearch.com/errors#index_not_found' };

  it('carries the node error object and status', () => {
    const e = new NodeHttpError('meili-0', 'GET', '/indexes/movies', 404, body);
    expect(e).toMatchObject({ nodeId: 'meili-0', status: 404, code: 'index_not_found', type: 'invalid_request', link: body.link, kind: 'http', name: 'NodeHttpError' });
    expect(e.toMeiliError()).toEqual(body);
    expect(e.body).toBe(body);
    expect(e.message).toBe('Node meili-0 answered 404 index_not_found to GET /indexes/movies: Index `movies` not found.');
    expect(isNodeHttpError(e)).toBe(true);
    expect(isNodeHttpError(e, 'index_not_found')).toBe(true);
    expect(isNodeHttpError(e, 'other')).toBe(false);
    expect(isNodeUnavailable(e)).toBe(false);
  });

  it('handles bodies that are not Meilisearch errors', () => {
    const html = new NodeHttpError('n', 'POST', '/search', 502, '<html>\n  <h1>Bad gateway</h1></html>');
    expect(html.code).toBe('http_502');
    expect(html.type).toBe('internal');
    expect(html.toMeiliError().message).toBe('HTTP 502: <html> <h1>Bad gateway</h1></html>');
    const empty = new NodeHttpError('n', 'GET', '/x', 400, undefined);
    expect(empty.toMeiliError()).toEqual({ message: 'HTTP 400 without a Meilisearch error body', code: 'http_400', type: 'invalid_request', link: '' });
    expect(new NodeHttpError('n', 'GET', '/x', 500, 'y'.repeat(1000)).message.length).toBeLessThan(300);
  });

  it('masks secrets in its message and keeps body and node message out of inspection', () => {
    const key = 'abcdef0123456789';
    const e = new NodeHttpError('n', 'GET', redactPath(`/keys/${key}`), 404, { message: `API key \`${key}\` not found.`, code: 'api_key_not_found', type: 'invalid_request', link: '' }, pathSecrets(`/keys/${key}`));
    expect(e.path).toBe('/keys/***');
    expect(e.message).toBe('Node n answered 404 api_key_not_found to GET /keys/***: API key `***` not found.');
    for (const text of [inspect(e), JSON.stringify(e), String(e)]) expect(text).not.toContain(key);
    expect(e.nodeMessage).toContain(key); // still forwardable to the client that asked
  });
});

describe('NodeUnavailableError', () => {
  it('names the node, reason and low-level code', () => {
    const cause = coded('ECONNREFUSED');
    const e = new NodeUnavailableError('meili-1', 'POST', '/indexes/a/documents', 'refused', 'ECONNREFUSED', cause);
    expect(e.message).toBe('Node meili-1 unavailable (refused, ECONNREFUSED) on POST /indexes/a/documents');
    expect(e.cause).toBe(cause);
    expect(e).toMatchObject({ reason: 'refused', nodeId: 'meili-1', kind: 'unavailable' });
    expect(isNodeUnavailable(e)).toBe(true);
  });
});

describe('helpers', () => {
  it('meiliErrorOf accepts only error-shaped bodies', () => {
    expect(meiliErrorOf({ message: 'm', code: 'c' })).toEqual({ message: 'm', code: 'c', type: '', link: '' });
    expect(meiliErrorOf({ message: 'm' })).toBeUndefined();
    expect(meiliErrorOf(null)).toBeUndefined();
    expect(meiliErrorOf('text')).toBeUndefined();
  });

  it('redactPath drops the query and masks keys', () => {
    expect(redactPath('/indexes/a/search?q=secret')).toBe('/indexes/a/search');
    expect(redactPath('/keys/abc')).toBe('/keys/***');
    expect(redactPath('/keys')).toBe('/keys');
    expect(pathSecrets('/keys/a%2Fb?x=1')).toEqual(['a/b']);
    expect(pathSecrets('/indexes/keys')).toEqual([]);
    expect(redact('k1 and k1 and k2', ['k1', '', 'k2'])).toBe('*** and *** and ***');
  });

  it('assertOk returns 2xx bodies and throws NodeHttpError otherwise', () => {
    expect(assertOk('n', 'GET', '/x', { status: 200, headers: {}, body: { a: 1 } })).toEqual({ a: 1 });
    expect(() => assertOk('n', 'GET', '/x', { status: 404, headers: {}, body: { message: 'no', code: 'index_not_found' } })).toThrow(NodeHttpError);
  });

  it('parseBody parses JSON when the node says so', () => {
    expect(parseBody('{"a":1}', 'application/json; charset=utf-8')).toEqual({ a: 1 });
    expect(parseBody('{"a":1}', ['application/json'])).toEqual({ a: 1 });
    expect(parseBody('{"a":', 'application/json')).toBe('{"a":');
    expect(parseBody('plain', 'text/plain')).toBe('plain');
    expect(parseBody('', 'application/json')).toBeUndefined();
    expect(parseBody('{"a":1}', undefined)).toBe('{"a":1}');
  });
});
