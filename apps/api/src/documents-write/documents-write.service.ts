import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { documentKey, routeDocuments, routeKeys, validateDocuments, type ShardTable } from '@miroir/core';
import type { LoadedConfig } from '@miroir/config';
import { appendCdcEvent, type CdcOperation, type IndexRecord, type NodeTaskRef } from '@miroir/store';
import { AntiEntropyTrigger } from '../cluster/anti-entropy-trigger.service';
import { IndexFields } from '../cluster/index-fields.service';
import { IndexRegistry } from '../cluster/index-registry.service';
import { TopologyService } from '../cluster/topology.service';
import { MeiliError } from '../errors/meili-error';
import { INDEX_LIFECYCLE, type IndexLifecycle } from '../indexes/index-lifecycle.contract';
import { assertIndexUid } from '../indexes/index-uid';
import { SettingsVersionService } from '../indexes/settings-version.service';
import { ExperimentalFeaturesService } from '../experimental/experimental-features.service';
import { DATA_SOURCE, LOADED_CONFIG } from '../infra/tokens';
import { IndexReadSettings } from '../search/index-read-settings.service';
import { assertNoReservedFilter } from '../search/reserved-guard';
import { summarize, type SummarizedTask } from '../tasks/task-registry.contract';
import { TaskOrder } from '../tasks/task-order.service';
import { TaskRegistry } from '../tasks/task-registry.service';
import { csvDelimiter, parseDocuments, payloadFormat } from './document-payload';
import { checkEditArguments, type EditRequest } from './write-request';
import { resolvePrimaryKey } from './primary-key';
import { QuorumWriter, type NodeWrite, type QuorumWriteResult } from './quorum-writer.service';

export interface WriteOutcome {
  task: SummarizedTask;
  /** `X-Miroir-Degraded` when some group missed quorum for some shard. */
  degraded?: string;
  /**
   * The replica group that acknowledged the whole write, with its node tasks: what a
   * read-your-writes session pins its next reads to (docs/design.md#sessions-tenants-and-idempotency). Absent when no node was written.
   */
  acknowledged?: { group: number; nodeTasks: NodeTaskRef[] };
}

export interface AddDocumentsInput {
  uid: string;
  contentType: string | undefined;
  body: Buffer;
  primaryKey?: string;
  csvDelimiter?: string;
  /** POST replaces whole documents, PUT merges fields into existing ones. */
  replace: boolean;
  /** Only update documents that exist already; the others are ignored by the nodes. */
  skipCreation?: boolean;
  /** Meilisearch's `customMetadata` query parameter, kept on the task. */
  customMetadata?: string;
}

interface Recorded {
  index: IndexRecord;
  type: 'documentAdditionOrUpdate' | 'documentDeletion' | 'documentEdition';
  details: Record<string, unknown>;
  operation: CdcOperation;
  primaryKeys: string[];
  shards: readonly number[];
  result: Pick<QuorumWriteResult, 'nodeTasks'> & { degraded?: string; table?: ShardTable; quorum?: QuorumWriteResult['quorum'] };
  /** When the write was sent (ms): the documents' `_miroir_updated_at` and the CDC event's time. */
  at?: number;
  /** The filter of a delete by filter, kept with its CDC event (anti-entropy reads it). */
  filter?: unknown;
  /** The client's `customMetadata`, kept on the task. */
  customMetadata?: string;
}

/**
 * The write path of docs/design.md#write-path: everything about the request is validated before any node is
 * called; then one request per target node in parallel, per-group quorum, and one Miroir task
 * with its CDC event in a single Postgres transaction.
 */
@Injectable()
export class DocumentsWriteService {
  /** Documents carry `_miroir_updated_at` when anti-entropy is on (docs/design.md#write-routing). */
  private readonly stamping: boolean;

  constructor(
    @Inject(LOADED_CONFIG) loaded: LoadedConfig,
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(INDEX_LIFECYCLE) private readonly lifecycle: IndexLifecycle,
    private readonly topology: TopologyService,
    private readonly registry: IndexRegistry,
    private readonly fields: IndexFields,
    private readonly writer: QuorumWriter,
    private readonly tasks: TaskRegistry,
    private readonly settings: SettingsVersionService,
    private readonly readSettings: IndexReadSettings,
    private readonly antiEntropy: AntiEntropyTrigger,
    private readonly features: ExperimentalFeaturesService,
    private readonly order: TaskOrder,
  ) {
    this.stamping = loaded.config.anti_entropy.enabled;
  }

  async addDocuments(input: AddDocumentsInput): Promise<WriteOutcome> {
    const { uid } = input;
    assertIndexUid(uid);
    const format = payloadFormat(input.contentType);
    const delimiter = csvDelimiter(input.csvDelimiter, format, input.contentType ?? '');
    const docs = parseDocuments(input.body, format, delimiter);
    // After every earlier settings or index change of the index (docs/architecture.md, "Task order").
    await this.order.waitTurn(uid);
    const known = await this.registry.find(uid);
    const existing = known?.state === 'ready' ? known : undefined;
    // An index whose settings failed to converge is frozen for writes until they do (docs/design.md#workflows).
    if (existing) this.settings.assertWritable(uid);
    const primaryKey = resolvePrimaryKey(uid, existing?.primaryKey ?? null, input.primaryKey, docs);
    if (primaryKey !== null) {
      const rejection = validateDocuments(docs, primaryKey);
      if (rejection) throw new MeiliError(rejection.code, rejection.message, 400);
    }
    // Only now, with a valid batch, may the index be created implicitly (Meilisearch does so on a
    // first document write) or given its primary key.
    let index = existing ?? (await this.lifecycle.ensureExists(uid, primaryKey));
    if (primaryKey !== null && index.primaryKey === null) index = await this.lifecycle.setPrimaryKey(uid, primaryKey);
    if (primaryKey !== null && index.primaryKey !== primaryKey) {
      // Another writer set a different key between our read and the creation.
      throw new MeiliError('index_primary_key_already_exists', `Index \`${uid}\`: Index already has a primary key: \`${index.primaryKey}\`.`);
    }
    const details = { receivedDocuments: docs.length, indexedDocuments: null };
    const operation: CdcOperation = input.replace ? 'addOrReplace' : 'addOrUpdate';
    if (docs.length === 0 || primaryKey === null) {
      return this.record({ index, type: 'documentAdditionOrUpdate', details, operation, primaryKeys: [], shards: [], result: { nodeTasks: [] }, customMetadata: input.customMetadata });
    }
    const primaryKeys = docs.map((d) => documentKey(d[primaryKey])!);
    index = await this.fields.record(index, docs);
    const table = await this.topology.writeTable(index);
    const at = Date.now();
    const routed = routeDocuments(docs, primaryKey, table, this.stamping ? { updatedAt: at } : {});
    const writes = new Map<string, NodeWrite>();
    for (const [nodeId, batch] of routed.batches) {
      const body = JSON.stringify(batch);
      writes.set(nodeId, (c, o) => c.addDocuments(uid, body, { contentType: 'application/json', primaryKey, replace: input.replace, skipCreation: input.skipCreation }, o));
    }
    const result = await this.writer.write(table, routed.shards, writes);
    return this.record({
      index,
      type: 'documentAdditionOrUpdate',
      details,
      operation,
      primaryKeys,
      shards: routed.shards,
      result: { nodeTasks: result.nodeTasks, degraded: result.degraded, table, quorum: result.quorum },
      at,
      customMetadata: input.customMetadata,
    });
  }

  /**
   * Delete by id or by id batch: each id goes to its shard's write targets. Meilisearch accepts any
   * JSON value as an id (it stringifies it); a value that is not a valid document id cannot name a
   * stored document, so it is counted in `providedIds` but sent nowhere.
   */
  async deleteByIds(uid: string, ids: readonly unknown[], customMetadata?: string): Promise<WriteOutcome> {
    await this.order.waitTurn(uid);
    const index = await this.registry.get(uid);
    this.settings.assertWritable(uid);
    const keys: string[] = [];
    for (const id of ids) {
      const key = documentKey(id);
      if (key !== null) keys.push(key);
    }
    const details = { providedIds: ids.length, deletedDocuments: null, originalFilter: null };
    const base = { index, type: 'documentDeletion' as const, details, operation: 'deleteByIds' as const, primaryKeys: keys, customMetadata };
    if (keys.length === 0) return this.record({ ...base, shards: [], result: { nodeTasks: [] } });
    const table = await this.topology.writeTable(index);
    const routed = routeKeys(keys, table);
    const writes = new Map<string, NodeWrite>();
    for (const [nodeId, batch] of routed.batches) writes.set(nodeId, (c, o) => c.deleteDocumentsBatch(uid, batch, o));
    const at = Date.now();
    const result = await this.writer.write(table, routed.shards, writes);
    return this.record({ ...base, shards: routed.shards, result: { nodeTasks: result.nodeTasks, degraded: result.degraded, table, quorum: result.quorum }, at });
  }

  /** Delete by filter: broadcast to every node holding data of the index; a node's ack covers all its shards. */
  async deleteByFilter(uid: string, filter: string | Array<string | string[]>, customMetadata?: string): Promise<WriteOutcome> {
    await this.order.waitTurn(uid);
    const index = await this.registry.get(uid);
    this.settings.assertWritable(uid);
    // Nodes would accept a filter on `_miroir_shard` and delete whole shards; Meilisearch checks
    // filterability when the task runs, Miroir refuses it at once (nothing is sent).
    await assertNoReservedFilter(filter, async () => (await this.readSettings.get(index)).filterable, 'invalid_document_filter', { kind: 'deleteByFilter', indexUid: index.uid });
    return this.broadcast(
      index,
      'deleteByFilter',
      { providedIds: 0, deletedDocuments: null, originalFilter: JSON.stringify(filter) },
      (c, o) => c.deleteDocumentsByFilter(uid, filter, o),
      filter,
      'documentDeletion',
      customMetadata,
    );
  }

  /**
   * Edit by function: broadcast like a delete by filter, since the filter (or every document) may
   * select documents of any shard; each node runs the function on its own documents.
   */
  async editDocuments(uid: string, request: EditRequest, customMetadata?: string): Promise<WriteOutcome> {
    await this.features.assertEnabled('editDocumentsByFunction');
    const edit = checkEditArguments(request, uid);
    await this.order.waitTurn(uid);
    const index = await this.registry.get(uid);
    this.settings.assertWritable(uid);
    if (edit.filter !== null) {
      await assertNoReservedFilter(edit.filter, async () => (await this.readSettings.get(index)).filterable, 'invalid_document_filter', { kind: 'deleteByFilter', indexUid: index.uid });
    }
    const details = { editedDocuments: null, deletedDocuments: null, originalFilter: edit.filter === null ? null : JSON.stringify(edit.filter), context: edit.context, function: edit.function };
    return this.broadcast(index, 'editByFunction', details, (c, o) => c.editDocuments(uid, edit, o), edit.filter ?? undefined, 'documentEdition', customMetadata);
  }

  async deleteAll(uid: string, customMetadata?: string): Promise<WriteOutcome> {
    await this.order.waitTurn(uid);
    const index = await this.registry.get(uid);
    this.settings.assertWritable(uid);
    return this.broadcast(index, 'deleteAll', { deletedDocuments: null }, (c, o) => c.deleteAllDocuments(uid, o), undefined, 'documentDeletion', customMetadata);
  }

  private async broadcast(
    index: IndexRecord,
    operation: CdcOperation,
    details: Record<string, unknown>,
    send: NodeWrite,
    filter?: unknown,
    type: Recorded['type'] = 'documentDeletion',
    customMetadata?: string,
  ): Promise<WriteOutcome> {
    const table = await this.topology.writeTable(index);
    const shards = Array.from({ length: table.shardCount }, (_, s) => s);
    const writes = new Map<string, NodeWrite>();
    for (const s of shards) for (const nodeId of table.writeTargets(s)) writes.set(nodeId, send);
    const at = Date.now();
    const result = await this.writer.write(table, shards, writes);
    return this.record({
      index,
      type,
      details,
      operation,
      primaryKeys: [],
      shards,
      result: { nodeTasks: result.nodeTasks, degraded: result.degraded, table, quorum: result.quorum },
      at,
      filter,
      customMetadata,
    });
  }

  /** One Miroir task and its CDC event, in one transaction (docs/design.md#task-and-outbox). */
  private async record(r: Recorded): Promise<WriteOutcome> {
    const task = await this.ds.transaction(async (tx) => {
      const t = await this.tasks.recordNodeTasks(tx, { indexUid: r.index.uid, type: r.type, nodeTasks: r.result.nodeTasks, details: r.details, customMetadata: r.customMetadata });
      await appendCdcEvent(tx, {
        indexUid: r.index.uid,
        operation: r.operation,
        primaryKeys: r.primaryKeys,
        shardIds: [...r.shards],
        settingsVersion: r.index.settingsVersion,
        taskUid: t.uid,
        at: r.at,
        filter: r.filter,
      });
      return t;
    });
    // A replica missed an acknowledged write: have anti-entropy repair it soon.
    if (r.result.degraded) this.antiEntropy.degradedWrite(r.index.uid);
    const acknowledged = acknowledgingGroup(r.result);
    return { task: summarize(task), ...(r.result.degraded ? { degraded: r.result.degraded } : {}), ...(acknowledged ? { acknowledged } : {}) };
  }
}

/** The first group that reached quorum for every shard of the write, and its node tasks. */
function acknowledgingGroup(result: Recorded['result']): WriteOutcome['acknowledged'] {
  const { table, quorum, nodeTasks } = result;
  if (!table || !quorum || nodeTasks.length === 0) return undefined;
  for (let group = 0; group < table.groupCount; group++) {
    if (quorum.degradedGroups.includes(group)) continue;
    const inGroup = nodeTasks.filter((t) => table.nodes.get(t.nodeId)?.group === group);
    if (inGroup.length > 0) return { group, nodeTasks: inGroup };
  }
  return undefined;
}

