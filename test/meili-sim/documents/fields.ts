// `fields` / `attributesToRetrieve` selection on stored documents, including dotted paths.
import type { Doc } from '../search/types';

export function selectFields(doc: Doc, fields: string[] | null): Doc {
  if (fields === null || fields.includes('*')) return doc;
  const out: Doc = {};
  for (const f of fields) {
    if (f in doc) {
      out[f] = doc[f];
      continue;
    }
    const dot = f.indexOf('.');
    if (dot < 0) continue;
    // Nested: keep the parent object shape with only the selected leaf.
    const head = f.slice(0, dot);
    const sub = doc[head];
    if (typeof sub === 'object' && sub !== null && !Array.isArray(sub)) {
      const picked = selectFields(sub as Doc, [f.slice(dot + 1)]);
      if (Object.keys(picked).length > 0) out[head] = { ...((out[head] as Doc | undefined) ?? {}), ...picked };
    }
  }
  return out;
}

/** Parses a comma-separated `fields` query parameter; absent or `*` → all fields. */
export function parseFieldsParam(raw: string | undefined): string[] | null {
  if (raw === undefined) return null;
  const fields = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return fields.includes('*') ? null : fields;
}
