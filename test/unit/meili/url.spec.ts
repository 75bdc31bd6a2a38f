import fc from 'fast-check';
import { seg, toOrigin, withQuery } from '@miroir/meili/url';
import { settingRoute, SETTINGS_SUB_ROUTES } from '@miroir/meili/settings-routes';

describe('seg', () => {
  it('leaves Meilisearch-safe ids as they are and encodes the rest', () => {
    expect(seg('movies_2024-a')).toBe('movies_2024-a');
    expect(seg(42)).toBe('42');
    expect(seg('a/b c')).toBe('a%2Fb%20c');
    expect(seg('..')).toBe('%2E%2E'); // never a path-traversal segment
    expect(seg('1.5')).toBe('1%2E5');
    expect(seg('é')).toBe('%C3%A9');
  });

  it('always decodes back to the input', () => {
    fc.assert(fc.property(fc.string(), (s) => decodeURIComponent(seg(s)) === s));
  });
});

describe('withQuery', () => {
  it('joins arrays with commas, skips undefined and null, keeps false and 0', () => {
    expect(withQuery('/tasks', { statuses: ['failed', 'canceled'], uids: [1, 2], limit: 0, reverse: false, from: undefined, x: null })).toBe(
      '/tasks?statuses=failed%2Ccanceled&uids=1%2C2&limit=0&reverse=false',
    );
  });

  it('returns the path untouched when nothing is set', () => {
    expect(withQuery('/indexes', undefined)).toBe('/indexes');
    expect(withQuery('/indexes', { offset: undefined })).toBe('/indexes');
  });

  it('appends to an existing query string', () => {
    expect(withQuery('/a?b=1', { c: 'd e' })).toBe('/a?b=1&c=d%20e');
  });

  it('sends an empty array as an empty value', () => {
    expect(withQuery('/d', { fields: [] })).toBe('/d?fields=');
  });

  it('round-trips through URLSearchParams', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.oneof(fc.string(), fc.integer(), fc.boolean())), (q) => {
        const url = new URL(`http://x${withQuery('/p', q)}`);
        for (const [k, v] of Object.entries(q)) expect(url.searchParams.get(k)).toBe(String(v));
        expect([...url.searchParams.keys()]).toHaveLength(Object.keys(q).length);
      }),
    );
  });
});

describe('toOrigin', () => {
  it('normalises addresses to an origin', () => {
    expect(toOrigin('127.0.0.1:7700')).toBe('http://127.0.0.1:7700');
    expect(toOrigin('http://meili-0:7700/')).toBe('http://meili-0:7700');
    expect(toOrigin('https://search.example.com')).toBe('https://search.example.com');
    expect(toOrigin('HTTP://Node-1:7700')).toBe('http://node-1:7700');
  });

  it('rejects other schemes, paths and credentials (without echoing credentials)', () => {
    expect(() => toOrigin('ftp://x:21')).toThrow('Unsupported node address scheme');
    expect(() => toOrigin('http://x:7700/meili')).toThrow('without a path');
    let message = '';
    try {
      toOrigin('http://admin:s3cr3t@x:7700');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('must not contain credentials');
    expect(message).not.toContain('s3cr3t');
  });
});

describe('settings sub-routes', () => {
  it('finds a setting by route or by name', () => {
    expect(settingRoute('filterable-attributes')).toEqual({ name: 'filterableAttributes', route: 'filterable-attributes', updateMethod: 'PUT' });
    expect(settingRoute('typoTolerance')?.updateMethod).toBe('PATCH');
    expect(settingRoute('nope')).toBeUndefined();
  });

  it('has unique names and routes, kebab-case of the names', () => {
    expect(new Set(SETTINGS_SUB_ROUTES.map((r) => r.name)).size).toBe(SETTINGS_SUB_ROUTES.length);
    for (const r of SETTINGS_SUB_ROUTES) expect(r.route).toBe(r.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
  });
});
