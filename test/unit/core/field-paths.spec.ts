import fc from 'fast-check';
import { newFieldPaths, nodeAttributesToSearchOn, type SearchOnContext } from '@miroir/core';

/** Every flattened field path of a document, the slow obvious way: the reference. */
function allPaths(value: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) allPaths(item, prefix, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (!k.startsWith('_miroir_')) out.add(path);
      allPaths(v, path, out);
    }
  }
  return out;
}

const key = fc.constantFrom('a', 'b', 'title', 'tags', 'x.y', '_miroir_shard', 'n');
const doc = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }).chain((top) =>
  fc.record({ nested: fc.dictionary(key, fc.oneof(fc.string(), fc.array(fc.dictionary(key, fc.string(), { maxKeys: 3 }), { maxLength: 3 })), { maxKeys: 3 }) }).map((n) => ({ ...top, ...n })),
);

describe('newFieldPaths', () => {
  it('returns exactly the paths of the batch that are not known yet, once each, none reserved', () => {
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 8 }), fc.array(fc.constantFrom('a', 'nested', 'nested.b', 'title', 'zz'), { maxLength: 4 }), (docs, knownList) => {
        const known = new Set<string>(knownList);
        const expected = new Set<string>();
        for (const d of docs) for (const p of allPaths(d)) if (!known.has(p)) expected.add(p);
        const got = newFieldPaths(docs, known);
        expect(new Set(got).size).toBe(got.length);
        expect(new Set(got)).toEqual(expected);
      }),
    );
  });

  it('names nested fields with dots, also inside arrays of objects, in first-appearance order', () => {
    const docs = [{ id: 1, meta: { note: 'x', tags: [{ label: 'y' }, 'plain'] } }, { id: 2, title: 't', meta: { extra: 1 } }];
    expect(newFieldPaths(docs, new Set())).toEqual(['id', 'meta', 'meta.note', 'meta.tags', 'meta.tags.label', 'title', 'meta.extra']);
    expect(newFieldPaths(docs, new Set(['id', 'meta', 'meta.note', 'meta.tags', 'meta.tags.label']))).toEqual(['title', 'meta.extra']);
  });
});

describe('nodeAttributesToSearchOn', () => {
  const all: SearchOnContext = { knownFields: ['id', 'title', 'meta.note'], searchableAll: true };

  it('names the known fields for a text query when every field is searchable and the client named none (or *)', () => {
    expect(nodeAttributesToSearchOn('12', undefined, all)).toEqual(['id', 'title', 'meta.note']);
    expect(nodeAttributesToSearchOn('12', null, all)).toEqual(['id', 'title', 'meta.note']);
    expect(nodeAttributesToSearchOn('12', ['*'], all)).toEqual(['id', 'title', 'meta.note']);
  });

  it('adds nothing where the node cannot match a reserved field or nothing is known', () => {
    expect(nodeAttributesToSearchOn('', undefined, all)).toBeUndefined();
    expect(nodeAttributesToSearchOn(null, undefined, all)).toBeUndefined();
    expect(nodeAttributesToSearchOn('12', undefined, { ...all, searchableAll: false })).toBeUndefined();
    expect(nodeAttributesToSearchOn('12', undefined, { ...all, knownFields: null })).toBeUndefined();
    expect(nodeAttributesToSearchOn('12', undefined, { ...all, knownFields: [] })).toBeUndefined();
  });

  it("keeps the client's own list, without reserved names", () => {
    expect(nodeAttributesToSearchOn('12', ['title'], all)).toBeUndefined();
    expect(nodeAttributesToSearchOn('12', ['title', '_miroir_shard'], all)).toEqual(['title']);
    expect(nodeAttributesToSearchOn('12', ['title', '_miroir_shard'], { ...all, searchableAll: false })).toEqual(['title']);
  });
});
