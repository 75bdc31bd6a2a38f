import { isReservedField } from '../reserved';

/**
 * The field paths of `documents` that are not in `known`, in first-appearance order: top-level
 * keys, and dotted paths of keys inside objects (also objects inside arrays), the names
 * Meilisearch gives flattened fields. Reserved names are never reported (a validated batch holds
 * none anyway).
 *
 * Why: the API searches nodes with `attributesToSearchOn` set to the index's known fields when
 * its searchable attributes are `["*"]`, so the `_miroir_shard` every stored document carries is
 * not matched by queries (docs/design.md#reserved-attributes: reserved fields are invisible). Listing nested paths too keeps
 * nested fields searchable whether a node matches an attribute's children or only the exact name.
 */
export function newFieldPaths(documents: readonly unknown[], known: ReadonlySet<string>): string[] {
  const seen = new Set(known);
  const found: string[] = [];
  const visit = (value: unknown, prefix: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) visit(item, prefix);
      return;
    }
    const obj = value as Record<string, unknown>;
    for (const key in obj) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (!seen.has(path)) {
        seen.add(path);
        if (!isReservedField(key)) found.push(path);
      }
      const v = obj[key];
      if (typeof v === 'object' && v !== null) visit(v, path);
    }
  };
  for (const doc of documents) if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) visit(doc, '');
  return found;
}
