// GET /tasks/{uid}/documents: one copy of each document from the node tasks of an addition.
import { concatDocuments, mergeNodePayloads, parseDocumentStream } from '../../../../apps/api/src/tasks/task-payload';

describe('mergeNodePayloads', () => {
  it('takes each shard from the first node holding it, without reserved fields', () => {
    // RF=2 over 3 nodes: shard 0 on a+b, shard 1 on b+c, shard 2 on c+a.
    const doc = (id: number, shard: number) => ({ id, title: `t${id}`, _miroir_shard: shard, _miroir_updated_at: 1 });
    const merged = mergeNodePayloads([
      { nodeId: 'a', documents: [doc(1, 0), doc(3, 2), doc(4, 0)] },
      { nodeId: 'b', documents: [doc(1, 0), doc(2, 1), doc(4, 0)] },
      { nodeId: 'c', documents: [doc(2, 1), doc(3, 2)] },
    ]);
    expect(merged).toEqual([
      { id: 1, title: 't1' },
      { id: 3, title: 't3' },
      { id: 4, title: 't4' },
      { id: 2, title: 't2' },
    ]);
  });

  it('keeps a document sent twice in one payload twice (the node payload holds both)', () => {
    const merged = mergeNodePayloads([
      { nodeId: 'a', documents: [{ id: 1, v: 1, _miroir_shard: 0 }, { id: 1, v: 2, _miroir_shard: 0 }] },
      { nodeId: 'b', documents: [{ id: 1, v: 1, _miroir_shard: 0 }, { id: 1, v: 2, _miroir_shard: 0 }] },
    ]);
    expect(merged).toEqual([
      { id: 1, v: 1 },
      { id: 1, v: 2 },
    ]);
  });

  it('still gives the shards of nodes that answered when another did not', () => {
    expect(mergeNodePayloads([{ nodeId: 'a', documents: [] }, { nodeId: 'b', documents: [{ id: 1, _miroir_shard: 3 }] }])).toEqual([{ id: 1 }]);
  });
});

describe('node answers and Miroir answer', () => {
  it('reads documents however a node separates them: none (JSON, CSV payloads) or lines (NDJSON)', () => {
    const concatenated = '{"id":1,"n":1.50,"o":{"a": [1, 2], "s": "}{\\"x"}}{"id":2}';
    expect(parseDocumentStream(Buffer.from(concatenated))).toEqual([{ id: 1, n: 1.5, o: { a: [1, 2], s: '}{"x' } }, { id: 2 }]);
    expect(parseDocumentStream('{"id": "n1"}\n\n{"id":"n2"}\n')).toEqual([{ id: 'n1' }, { id: 'n2' }]);
    expect(parseDocumentStream('')).toEqual([]);
  });

  it('writes documents as Meilisearch answers a JSON payload: one after the other, no separator', () => {
    expect(concatDocuments([{ id: 'a1', t: 'x' }, { id: 'a2', z: null }])).toBe('{"id":"a1","t":"x"}{"id":"a2","z":null}');
    expect(concatDocuments([])).toBe('');
  });
});
