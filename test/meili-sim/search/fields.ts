// Document fields as Meilisearch sees them: nested objects flattened to dotted paths, arrays
// contributing each element to the same path. The registry numbers fields in the order first seen,
// which is the searchable order when searchableAttributes is ['*'].

import { isFieldPathUnder } from './core-query';

export class FieldRegistry {
  readonly paths: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Weight per field id, -1 when not searchable. */
  weights: number[] = [];
  private searchable: readonly string[] = ['*'];

  configure(searchableAttributes: readonly string[]): void {
    this.searchable = searchableAttributes;
    this.weights = this.paths.map((p) => this.weightOf(p));
  }

  clear(): void {
    this.paths.length = 0;
    this.ids.clear();
    this.weights = [];
  }

  private weightOf(path: string): number {
    if (this.searchable.includes('*')) return this.ids.get(path)!;
    return this.searchable.findIndex((a) => isFieldPathUnder(path, a));
  }

  idOf(path: string): number {
    let id = this.ids.get(path);
    if (id === undefined) {
      id = this.paths.length;
      this.paths.push(path);
      this.ids.set(path, id);
      this.weights.push(this.weightOf(path));
    }
    return id;
  }

  /**
   * The largest weight a match can have: with an explicit list it is fixed by the settings (so it
   * does not depend on which documents a node holds); with ['*'] it is the number of fields seen.
   */
  maxWeight(): number {
    if (this.searchable.includes('*')) return Math.max(0, this.paths.length - 1);
    return Math.max(0, this.searchable.length - 1);
  }
}

/**
 * Calls `fn(path, text)` for every scalar leaf, in document order; numbers and booleans as text.
 * A field present without any text (null, []) still gets `fn(path, null)`: Meilisearch knows the
 * field, which matters for the order of fields under searchableAttributes ['*'].
 */
export function forEachLeaf(value: unknown, path: string, fn: (path: string, text: string | null) => void): void {
  if (value === null || value === undefined) {
    if (path !== '') fn(path, null);
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0 && path !== '') fn(path, null);
    for (const v of value) forEachLeaf(v, path, fn);
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) forEachLeaf(v, path === '' ? k : `${path}.${k}`, fn);
  } else if (typeof value === 'string') {
    fn(path, value);
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    fn(path, String(value));
  }
}
