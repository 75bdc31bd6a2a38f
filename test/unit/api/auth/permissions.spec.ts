import { actionAllowed, indexAllowed } from '../../../../apps/api/src/auth/permissions';

describe('API key permissions, as Meilisearch 1.50 grants them', () => {
  it('`*` grants every action, `documents.*` every documents action', () => {
    expect(actionAllowed(['*'], 'keys.delete')).toBe(true);
    expect(actionAllowed(['documents.*'], 'documents.add')).toBe(true);
    expect(actionAllowed(['documents.*'], 'search')).toBe(false);
  });

  it('`*.get` grants every read action, search included, but not keys.get', () => {
    for (const a of ['search', 'documents.get', 'indexes.get', 'tasks.get', 'settings.get', 'stats.get', 'version', 'experimental.get']) {
      expect(actionAllowed(['*.get'], a)).toBe(true);
    }
    for (const a of ['keys.get', 'documents.add', 'settings.update', 'tasks.cancel', 'experimental.update']) {
      expect(actionAllowed(['*.get'], a)).toBe(false);
    }
    // The default read-only admin key.
    expect(actionAllowed(['*.get', 'keys.get'], 'keys.get')).toBe(true);
  });

  it('index patterns: exact, `*`, or a prefix ending with `*`', () => {
    expect(indexAllowed(['movies*'], 'movies-2024')).toBe(true);
    expect(indexAllowed(['movies'], 'movies-2024')).toBe(false);
    expect(indexAllowed(['*'], 'anything')).toBe(true);
  });
});
