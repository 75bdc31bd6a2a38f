import fc from 'fast-check';
import { NodeState, buildShardTable, routeDocuments, routeKeys, shardForKey, validateDocuments } from '@miroir/core';

const table = buildShardTable(
  {
    version: 1,
    replicationFactor: 2,
    groups: 2,
    nodes: ['a0', 'a1', 'a2', 'b0', 'b1'].map((id) => ({ id, address: '', group: id.startsWith('a') ? 0 : 1, state: 'active' as NodeState })),
  },
  64,
);

describe('write routing (docs/design.md#write-path)', () => {
  it('sends every document, tagged with its shard, to exactly the write targets of that shard', () => {
    const idArb = fc.oneof(fc.stringMatching(/^[a-zA-Z0-9_-]{1,20}$/), fc.maxSafeInteger());
    fc.assert(
      fc.property(fc.uniqueArray(idArb, { maxLength: 60, selector: (v) => String(v) }), (idList) => {
        const docs = idList.map((id) => ({ id, body: 'x' }));
        expect(validateDocuments(docs, 'id')).toBeNull();
        const routed = routeDocuments(docs, 'id', table, { copy: true });
        for (const doc of docs) {
          const shard = shardForKey(doc.id, 64);
          const targets = table.writeTargets(shard);
          for (const [nodeId, batch] of routed.batches) {
            const found = batch.filter((d) => d['id'] === doc.id);
            expect(found).toHaveLength(targets.includes(nodeId) ? 1 : 0);
            for (const d of found) expect(d).toEqual({ ...doc, _miroir_shard: shard });
          }
          expect(routed.shards).toContain(shard);
        }
        expect(docs.every((d) => !('_miroir_shard' in d))).toBe(true); // copy: originals untouched
        expect(routed.shards).toEqual([...new Set(docs.map((d) => shardForKey(d.id, 64)))].sort((a, b) => a - b));
      }),
    );
  });

  it('tags in place by default and stamps _miroir_updated_at when asked', () => {
    const docs: Record<string, unknown>[] = [{ id: 'x' }];
    routeDocuments(docs, 'id', table, { updatedAt: 123 });
    expect(docs[0]).toEqual({ id: 'x', _miroir_shard: shardForKey('x', 64), _miroir_updated_at: 123 });
  });

  it('rejects the whole batch on a missing or invalid key or a reserved field, naming the first culprit', () => {
    expect(validateDocuments([{ id: 1 }, { title: 'no id' }], 'id')).toMatchObject({ code: 'miroir_primary_key_required', index: 1 });
    expect(validateDocuments([{ id: 'a b' }], 'id')).toMatchObject({
      code: 'invalid_document_id',
      message: expect.stringContaining('Document identifier `"a b"` is invalid.'),
    });
    expect(validateDocuments([{ id: 'x'.repeat(512) }], 'id')).toMatchObject({ code: 'invalid_document_id' });
    expect(validateDocuments([{ id: 1.5 }], 'id')).toMatchObject({ code: 'invalid_document_id' });
    expect(validateDocuments([{ id: 'ok', meta: [{ _miroir_shard: 3 }] }], 'id')).toMatchObject({
      code: 'miroir_reserved_field',
      field: 'meta._miroir_shard',
    });
    expect(validateDocuments([{ id: 'ok', _miroir_expires_at: 1 }], 'id')).toMatchObject({ code: 'miroir_reserved_field' });
  });

  it('routes ids to delete to their shards’ write targets', () => {
    const routed = routeKeys(['a', 7, 'a'], table);
    for (const [node, keys] of routed.batches) {
      for (const k of keys) expect(table.writeTargets(shardForKey(k, 64))).toContain(node);
    }
    expect(routed.shards).toEqual([...new Set([shardForKey('a', 64), shardForKey(7, 64)])].sort((a, b) => a - b));
  });
});
