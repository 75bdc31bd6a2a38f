import { parseKeyListQuery, readKeyBody } from '../../../apps/api/src/keys/key-request';
import { rfc3339 } from '../../../apps/api/src/keys/key-view';
import { MeiliError } from '../../../apps/api/src/errors/meili-error';

function refusal(fn: () => unknown): { code: string; message: string; status: number } {
  try {
    fn();
  } catch (err) {
    if (err instanceof MeiliError) return { code: err.code, message: err.message, status: err.status };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('readKeyBody', () => {
  it('takes JSON under application/json, parameters and case aside', () => {
    expect(readKeyBody('application/json', Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(readKeyBody('Application/JSON; charset=utf-8', Buffer.from('[]'))).toEqual([]);
  });

  it('refuses as Meilisearch: content type first, then an empty body, then the JSON', () => {
    expect(refusal(() => readKeyBody(undefined, Buffer.alloc(0)))).toEqual({
      code: 'missing_content_type',
      message: 'A Content-Type header is missing. Accepted values for the Content-Type header are: `application/json`',
      status: 415,
    });
    expect(refusal(() => readKeyBody('application/x-ndjson', Buffer.from('{}')))).toEqual({
      code: 'invalid_content_type',
      message: 'The Content-Type `application/x-ndjson` is invalid. Accepted values for the Content-Type header are: `application/json`',
      status: 415,
    });
    expect(refusal(() => readKeyBody('application/json', Buffer.alloc(0)))).toEqual({ code: 'missing_payload', message: 'A json payload is missing.', status: 400 });
    for (const body of ['{', ' ', '{"a":}', '"\\ud800"', `{"x":${'['.repeat(200)}${']'.repeat(200)}}`]) {
      expect(refusal(() => readKeyBody('application/json', Buffer.from(body)))).toMatchObject({ code: 'malformed_payload', status: 400 });
    }
    expect(refusal(() => readKeyBody('application/json', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])))).toMatchObject({ code: 'malformed_payload' });
    // serde_json's recursion limit: 127 levels pass (the body checks refuse them next), 128 do not.
    expect(readKeyBody('application/json', Buffer.from(`{"name":${'['.repeat(126)}${']'.repeat(126)}}`))).toBeDefined();
    expect(refusal(() => readKeyBody('application/json', Buffer.from(`{"name":${'['.repeat(127)}${']'.repeat(127)}}`)))).toMatchObject({ code: 'malformed_payload' });
  });
});

describe('parseKeyListQuery', () => {
  it('defaults to offset 0 and limit 20; the last of a repeated parameter counts', () => {
    expect(parseKeyListQuery({})).toEqual({ offset: 0, limit: 20 });
    expect(parseKeyListQuery({ offset: ['1', '2'], limit: '0' })).toEqual({ offset: 2, limit: 0 });
    expect(parseKeyListQuery({ limit: '18446744073709551615' }).limit).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([
    [{ offset: '-1' }, 'invalid_api_key_offset', 'Invalid value in parameter `offset`: could not parse `-1` as a positive integer'],
    [{ limit: 'abc' }, 'invalid_api_key_limit', 'Invalid value in parameter `limit`: could not parse `abc` as a positive integer'],
    [{ limit: '18446744073709551616' }, 'invalid_api_key_limit', 'Invalid value in parameter `limit`: could not parse `18446744073709551616` as a positive integer'],
    [{ offset: '' }, 'invalid_api_key_offset', 'Invalid value in parameter `offset`: could not parse `` as a positive integer'],
    [{ foo: '1' }, 'bad_request', 'Unknown parameter `foo`: expected one of `offset`, `limit`'],
  ])('refuses %j', (query, code, message) => {
    expect(refusal(() => parseKeyListQuery(query))).toEqual({ code, message, status: 400 });
  });
});

describe('rfc3339', () => {
  it('drops a zero fraction and trailing zeros, as Meilisearch prints timestamps', () => {
    expect(rfc3339('2026-12-06T17:19:04.014380Z')).toBe('2026-12-06T17:19:04.01438Z');
    expect(rfc3339('2026-12-06T17:19:04.000000Z')).toBe('2026-12-06T17:19:04Z');
    expect(rfc3339('2026-12-06T17:19:04.100000Z')).toBe('2026-12-06T17:19:04.1Z');
    expect(rfc3339('2026-12-06T17:19:04.123456Z')).toBe('2026-12-06T17:19:04.123456Z');
  });
});
