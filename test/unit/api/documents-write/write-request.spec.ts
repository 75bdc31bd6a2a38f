import { MeiliError } from '../../../../apps/api/src/errors/meili-error';
import { checkEditArguments, parseEditBody, querySkipCreation } from '../../../../apps/api/src/documents-write/write-request';

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof MeiliError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a MeiliError');
}

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

describe('skipCreation query parameter', () => {
  it('takes exactly true or false', () => {
    expect(querySkipCreation({})).toBeUndefined();
    expect(querySkipCreation({ skipCreation: 'true' })).toBe(true);
    expect(querySkipCreation({ skipCreation: 'false' })).toBe(false);
    expect(errorOf(() => querySkipCreation({ skipCreation: 'TRUE' }))).toEqual({
      code: 'invalid_skip_creation',
      message: 'skipCreation must be either `true` or `false`. Found: `TRUE`',
    });
  });
});

describe('edit by function body', () => {
  it('keeps function, filter and context', () => {
    const req = parseEditBody(json({ function: 'doc.a = 1', filter: 'a = 1', context: { k: 1 } }));
    expect(checkEditArguments(req, 'movies')).toEqual({ function: 'doc.a = 1', filter: 'a = 1', context: { k: 1 } });
    expect(checkEditArguments(parseEditBody(json({ function: 'x', filter: null, context: null })), 'movies')).toEqual({ function: 'x', filter: null, context: null });
  });

  it('refuses unknown fields, a missing or non-string function with Meilisearch errors', () => {
    expect(errorOf(() => parseEditBody(json({ function: 'x', extra: 1 })))).toEqual({ code: 'bad_request', message: 'Unknown field `extra`: expected one of `filter`, `context`, `function`' });
    expect(errorOf(() => parseEditBody(json({})))).toEqual({ code: 'missing_document_edition_function', message: 'Missing field `function`' });
    expect(errorOf(() => parseEditBody(json({ function: 1 })))).toEqual({
      code: 'invalid_document_edition_function_filter',
      message: 'Invalid value type at `.function`: expected a string, but found a positive integer: `1`',
    });
    expect(errorOf(() => parseEditBody(Buffer.from('')))).toMatchObject({ code: 'missing_payload' });
  });

  it('checks context and filter only in the second step', () => {
    const req = parseEditBody(json({ function: 'x', context: [1], filter: 'a =' }));
    expect(errorOf(() => checkEditArguments(req, 'movies'))).toEqual({ code: 'invalid_document_edition_context', message: 'The context must be an object' });
    expect(errorOf(() => checkEditArguments(parseEditBody(json({ function: 'x', filter: 1 })), 'movies'))).toEqual({
      code: 'invalid_document_filter',
      message: 'Index `movies`: Invalid syntax for the filter parameter: `expected String, Array, found: 1`.',
    });
    expect(errorOf(() => checkEditArguments(parseEditBody(json({ function: 'x', filter: 'a =' })), 'movies'))).toEqual({
      code: 'invalid_document_filter',
      message: 'Index `movies`: Was expecting a value but instead got nothing.\n4:4 a =',
    });
  });
});
