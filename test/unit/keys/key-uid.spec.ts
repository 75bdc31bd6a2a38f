import { parseKeyUid } from '../../../apps/api/src/keys/key-uid';

// Expected texts are Meilisearch 1.50's answers (`Invalid value at .uid: …`), recorded from the binary.
describe('parseKeyUid', () => {
  it.each([
    ['11111111-2222-4333-8444-555555555555', '11111111-2222-4333-8444-555555555555'],
    ['AAAAAAAA-2222-1333-0444-555555555558', 'aaaaaaaa-2222-1333-0444-555555555558'],
    ['11111111222243338444555555555555', '11111111-2222-4333-8444-555555555555'],
    ['{11111111-2222-4333-8444-555555555556}', '11111111-2222-4333-8444-555555555556'],
    ['urn:uuid:11111111-2222-4333-8444-555555555557', '11111111-2222-4333-8444-555555555557'],
    ['00000000000000000000000000000000', '00000000-0000-0000-0000-000000000000'],
  ])('reads %s as %s', (text, uid) => {
    expect(parseKeyUid(text)).toEqual({ uid });
  });

  it.each([
    ['abc', 'invalid length: found 3'],
    ['', 'invalid length: found 0'],
    ['a'.repeat(55), 'invalid length: found 55'],
    ['zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', 'invalid character: found `z` at 0'],
    ['00000000-0000-0000-0000-00000000000', 'invalid group length in group 4: expected 12, found 11'],
    ['00000000-0000-0000-0000-0000000000000', 'invalid group length in group 4: expected 12, found 13'],
    ['0000000000000000000000000000000g', 'invalid character: found `g` at 31'],
    ['G0000000000000000000000000000000', 'invalid character: found `G` at 0'],
    ['0000-0000', 'invalid group count: expected 5, found 2'],
    ['00000000-0000-0000-0000-000000000000-', 'invalid group count: expected 5, found 6'],
    ['-0000000-0000-0000-0000-000000000000', 'invalid group count: expected 5, found 6'],
    ['0000000000000000000000000000000-', 'invalid group count: expected 5, found 2'],
    ['0000000-00000-0000-0000-000000000000', 'invalid group length in group 0: expected 8, found 7'],
    ['šššššššš-0000-0000-0000-000000000000', 'invalid group length in group 0: expected 8, found 16'],
    ['{00000000-0000-0000-0000-00000000000g}', 'invalid character: found `g` at 35'],
    ['{0000000g-0000-0000-0000-000000000000}', 'invalid character: found `g` at 7'],
    ['urn:uuid:00000000-0000-0000-0000-00000000000g', 'invalid character: found `g` at 35'],
    ['urn:uuid:0000000000', 'invalid group count: expected 5, found 1'],
    ['urn:uuid:00g0000000000000000', 'invalid character: found `g` at 11'],
    ['urn:uuid:000000000000000000g', 'invalid group count: expected 5, found 1'],
    ['urn:uuid:00000000000000000000000000000003', 'invalid group count: expected 5, found 1'],
    ['{00g0}', 'invalid group count: expected 5, found 1'],
    ['{0g00}', 'invalid character: found `g` at 2'],
    ['{00000000-0000-0000-0000-00000000000}', 'invalid group length in group 4: expected 12, found 13'],
    ['{00000000000000000000000000000004}', 'invalid group count: expected 5, found 1'],
    ['{0000000000000000000000000000000400}', 'invalid character: found `{` at 0'],
  ])('refuses %j: %s', (text, error) => {
    expect(parseKeyUid(text)).toEqual({ error });
  });

  it('answers where the crate would panic (Meilisearch then drops the connection)', () => {
    expect(parseKeyUid('{}')).toEqual({ error: 'invalid length: found 2' });
    expect(parseKeyUid('urn:uuid:00')).toEqual({ error: 'invalid length: found 11' });
  });
});
