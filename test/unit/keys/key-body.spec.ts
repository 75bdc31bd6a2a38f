import { parseCreateKey, parsePatchKey } from '../../../apps/api/src/keys/key-body';
import { MeiliError } from '../../../apps/api/src/errors/meili-error';

// Expected codes and messages are Meilisearch 1.50's answers to the same bodies, recorded from the binary.
const NOW = Date.parse('2026-06-01T00:00:00Z');
const fixedUid = () => '0e384985-e838-4093-8a0d-7057aa1d3298';
const ACTIONS_LIST =
  '`*`, `search`, `documents.*`, `documents.add`, `documents.get`, `documents.delete`, `indexes.*`, `indexes.create`, `indexes.get`, `indexes.update`, `indexes.delete`, `indexes.swap`, `tasks.*`, `tasks.cancel`, `tasks.delete`, `tasks.get`, `settings.*`, `settings.get`, `settings.update`, `stats.*`, `stats.get`, `metrics.*`, `metrics.get`, `dumps.*`, `dumps.create`, `snapshots.*`, `snapshots.create`, `version`, `keys.create`, `keys.get`, `keys.update`, `keys.delete`, `experimental.get`, `experimental.update`, `export`, `network.get`, `network.update`, `chatCompletions`, `chats.*`, `chats.get`, `chats.delete`, `chatsSettings.*`, `chatsSettings.get`, `chatsSettings.update`, `*.get`, `webhooks.get`, `webhooks.update`, `webhooks.delete`, `webhooks.create`, `webhooks.*`, `indexes.compact`, `fields.post`, `tasks.compact`, `dynamicSearchRules.get`, `dynamicSearchRules.create`, `dynamicSearchRules.update`, `dynamicSearchRules.delete`, `dynamicSearchRules.*`';
const PATTERN_RULE =
  'is not a valid index uid pattern. Index uid patterns can be an integer or a string containing only alphanumeric characters, hyphens (-), underscores (_), and optionally end with a star (*).';

function refusal(fn: () => unknown): { code: string; message: string; status: number } {
  try {
    fn();
  } catch (err) {
    if (err instanceof MeiliError) return { code: err.code, message: err.message, status: err.status };
    throw err;
  }
  throw new Error('expected a refusal');
}

const create = (body: unknown) => refusal(() => parseCreateKey(JSON.parse(JSON.stringify(body)), NOW, fixedUid));
const ok = { actions: ['search'], indexes: ['*'], expiresAt: null };

describe('parseCreateKey', () => {
  it('keeps what the client gave, with a generated uid when none', () => {
    expect(parseCreateKey({ ...ok, name: 'n', description: null, actions: ['search', 'search', '*'], indexes: ['a', 'a', 'b*'] }, NOW, fixedUid)).toEqual({
      uid: fixedUid(),
      name: 'n',
      description: null,
      actions: ['search', 'search', '*'],
      indexes: ['a', 'a', 'b*'],
      expiresAt: null,
    });
    expect(parseCreateKey({ ...ok, uid: '11111111222243338444555555555555', actions: [], indexes: ['123'] }, NOW, fixedUid).uid).toBe('11111111-2222-4333-8444-555555555555');
    expect(parseCreateKey({ ...ok, expiresAt: '2030-01-01' }, NOW, fixedUid).expiresAt?.text).toBe('2030-01-01T00:00:00Z');
  });

  it.each([
    [{}, 'missing_api_key_actions', 'Missing field `actions`'],
    [{ actions: ['search'] }, 'missing_api_key_indexes', 'Missing field `indexes`'],
    [{ actions: ['search'], indexes: ['*'] }, 'missing_api_key_expires_at', 'Missing field `expiresAt`'],
    [{ indexes: ['*'], expiresAt: null }, 'missing_api_key_actions', 'Missing field `actions`'],
    [{ ...ok, foo: 1 }, 'bad_request', 'Unknown field `foo`: expected one of `description`, `name`, `uid`, `actions`, `indexes`, `expiresAt`'],
    [{ ...ok, key: 'abc' }, 'bad_request', 'Unknown field `key`: expected one of `description`, `name`, `uid`, `actions`, `indexes`, `expiresAt`'],
    [{ foo: 2, name: 1 }, 'bad_request', 'Unknown field `foo`: expected one of `description`, `name`, `uid`, `actions`, `indexes`, `expiresAt`'],
    [{ name: 1, foo: 2 }, 'invalid_api_key_name', 'Invalid value type at `.name`: expected a string, but found a positive integer: `1`'],
    [{ actions: 'x', foo: 1 }, 'invalid_api_key_actions', 'Invalid value type at `.actions`: expected an array, but found a string: `"x"`'],
    [{ uid: 'bad', actions: 'x' }, 'invalid_api_key_uid', 'Invalid value at `.uid`: invalid length: found 3'],
    [{ expiresAt: 'bad', actions: 'x', indexes: ['*'] }, 'invalid_api_key_expires_at', "Invalid value at `.expiresAt`: `bad` is not a valid date. It should follow the RFC 3339 format to represents a date or datetime in the future or specified as a null value. e.g. 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'.\n"],
    [{ ...ok, actions: null }, 'invalid_api_key_actions', 'Invalid value type at `.actions`: expected an array, but found null'],
    [{ ...ok, actions: [1] }, 'invalid_api_key_actions', 'Invalid value type at `.actions[0]`: expected a string, but found a positive integer: `1`'],
    [{ ...ok, actions: ['search', 'fly'] }, 'invalid_api_key_actions', `Unknown value \`fly\` at \`.actions[1]\`: expected one of ${ACTIONS_LIST}`],
    [{ ...ok, indexes: '*' }, 'invalid_api_key_indexes', 'Invalid value type at `.indexes`: expected an array, but found a string: `"*"`'],
    [{ ...ok, indexes: null }, 'invalid_api_key_indexes', 'Invalid value type at `.indexes`: expected an array, but found null'],
    [{ ...ok, indexes: [1] }, 'invalid_api_key_indexes', 'Invalid value type at `.indexes[0]`: expected a string, but found a positive integer: `1`'],
    [{ ...ok, indexes: ['a b'] }, 'invalid_api_key_indexes', `Invalid value at \`.indexes[0]\`: \`a b\` ${PATTERN_RULE}`],
    [{ ...ok, indexes: ['*', '*a'] }, 'invalid_api_key_indexes', `Invalid value at \`.indexes[1]\`: \`*a\` ${PATTERN_RULE}`],
    [{ ...ok, indexes: ['a**'] }, 'invalid_api_key_indexes', `Invalid value at \`.indexes[0]\`: \`a*\` ${PATTERN_RULE}`],
    [{ ...ok, indexes: ['***'] }, 'invalid_api_key_indexes', `Invalid value at \`.indexes[0]\`: \`**\` ${PATTERN_RULE}`],
    [{ ...ok, indexes: [''] }, 'invalid_api_key_indexes', `Invalid value at \`.indexes[0]\`: \`\` ${PATTERN_RULE}`],
    [{ ...ok, indexes: ['é'] }, 'invalid_api_key_indexes', `Invalid value at \`.indexes[0]\`: \`é\` ${PATTERN_RULE}`],
    [{ ...ok, indexes: ['a'.repeat(401)] }, 'invalid_api_key_indexes', `Invalid value at \`.indexes[0]\`: \`${'a'.repeat(401)}\` ${PATTERN_RULE}`],
    [{ ...ok, expiresAt: 12 }, 'invalid_api_key_expires_at', 'Invalid value type at `.expiresAt`: expected a string, but found a positive integer: `12`'],
    [{ ...ok, expiresAt: [] }, 'invalid_api_key_expires_at', 'Invalid value type at `.expiresAt`: expected a string, but found an array: `[]`'],
    [{ ...ok, expiresAt: {} }, 'invalid_api_key_expires_at', 'Invalid value type at `.expiresAt`: expected a string, but found an object: `{}`'],
    [{ ...ok, expiresAt: true }, 'invalid_api_key_expires_at', 'Invalid value type at `.expiresAt`: expected a string, but found a boolean: `true`'],
    [{ ...ok, expiresAt: 1.5 }, 'invalid_api_key_expires_at', 'Invalid value type at `.expiresAt`: expected a string, but found a number: `1.5`'],
    [{ ...ok, uid: 12 }, 'invalid_api_key_uid', 'Invalid value type at `.uid`: expected a string, but found a positive integer: `12`'],
    [{ ...ok, uid: null }, 'invalid_api_key_uid', 'Invalid value type at `.uid`: expected a string, but found null'],
    [{ ...ok, name: -3 }, 'invalid_api_key_name', 'Invalid value type at `.name`: expected a string, but found a negative integer: `-3`'],
    [{ ...ok, name: { a: [1, 2, { b: 'c' }] } }, 'invalid_api_key_name', 'Invalid value type at `.name`: expected a string, but found an object: `{"a":[1,2,{"b":"c"}]}`'],
    [{ ...ok, description: 12 }, 'invalid_api_key_description', 'Invalid value type at `.description`: expected a string, but found a positive integer: `12`'],
    [[], 'bad_request', 'Invalid value type: expected an object, but found an array: `[]`'],
    [null, 'bad_request', 'Invalid value type: expected an object, but found null'],
    ['x', 'bad_request', 'Invalid value type: expected an object, but found a string: `"x"`'],
    [12, 'bad_request', 'Invalid value type: expected an object, but found a positive integer: `12`'],
  ])('refuses %j with %s', (body, code, message) => {
    expect(create(body)).toEqual({ code, message, status: 400 });
  });
});

describe('parsePatchKey', () => {
  it('changes only name and description; null clears', () => {
    expect(parsePatchKey({ name: 'n2' })).toEqual({ name: 'n2' });
    expect(parsePatchKey({ name: null, description: 'd' })).toEqual({ name: null, description: 'd' });
    expect(parsePatchKey({})).toEqual({});
  });

  const patch = (body: unknown) => refusal(() => parsePatchKey(body));
  it.each([
    [{ uid: 'x' }, 'immutable_api_key_uid', 'Immutable field `uid`: expected one of `description`, `name`'],
    [{ actions: ['*'] }, 'immutable_api_key_actions', 'Immutable field `actions`: expected one of `description`, `name`'],
    [{ indexes: [] }, 'immutable_api_key_indexes', 'Immutable field `indexes`: expected one of `description`, `name`'],
    [{ expiresAt: null }, 'immutable_api_key_expires_at', 'Immutable field `expiresAt`: expected one of `description`, `name`'],
    [{ createdAt: 'x' }, 'immutable_api_key_created_at', 'Immutable field `createdAt`: expected one of `description`, `name`'],
    [{ updatedAt: 'x' }, 'immutable_api_key_updated_at', 'Immutable field `updatedAt`: expected one of `description`, `name`'],
    [{ key: 'x' }, 'bad_request', 'Unknown field `key`: expected one of `description`, `name`'],
    [{ name: 1, uid: 'x' }, 'invalid_api_key_name', 'Invalid value type at `.name`: expected a string, but found a positive integer: `1`'],
    [{ uid: 'x', name: 1 }, 'immutable_api_key_uid', 'Immutable field `uid`: expected one of `description`, `name`'],
    [{ description: [] }, 'invalid_api_key_description', 'Invalid value type at `.description`: expected a string, but found an array: `[]`'],
    [null, 'bad_request', 'Invalid value type: expected an object, but found null'],
  ])('refuses %j with %s', (body, code, message) => {
    expect(patch(body)).toEqual({ code, message, status: 400 });
  });
});
