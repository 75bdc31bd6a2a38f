import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { NodeClient } from '@miroir/meili';
import type { LoadedConfig } from '@miroir/config';
import { changeTopology, listMigrations, NodeRecord } from '@miroir/store';
import { MeiliError } from '../errors/meili-error';
import { DATA_SOURCE, LOADED_CONFIG } from '../infra/tokens';
import { TopologyService } from '../cluster/topology.service';

export interface NodeView {
  id: string;
  address: string;
  group: number;
  state: string;
}

const view = (n: NodeRecord): NodeView => ({ id: n.id, address: n.address, group: n.group, state: n.state });
const nodeNotFound = (id: string) => new MeiliError('miroir_node_not_found', `Node \`${id}\` not found.`, 404);

/**
 * Topology changes an operator asks for (docs/design.md#admin-api): each is one transaction that bumps the topology
 * version and notifies every API pod. Data only moves when a rebalance runs.
 */
@Injectable()
export class NodeAdminService {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    private readonly topology: TopologyService,
  ) {}

  /**
   * Adds a node as `joining`: it receives shards when a rebalance runs. A group number one past the
   * last adds a replica group (served only once the rebalance has filled it).
   */
  async add(input: { id: string; address: string; group: number }): Promise<{ node: NodeView; topologyVersion: number }> {
    await this.assertReachable(input.id, input.address);
    const { result, version } = await changeTopology(this.ds, async (tx) => {
      if (await tx.findOne(NodeRecord, { where: { id: input.id } })) {
        throw new MeiliError('miroir_node_already_exists', `Node \`${input.id}\` already exists (node ids are never reused).`, 409);
      }
      const [{ replica_groups: groups }]: Array<{ replica_groups: number }> = await tx.query('SELECT replica_groups FROM topology WHERE id = 1');
      if (input.group > groups) {
        throw new MeiliError('miroir_invalid_node', `Group ${input.group} does not exist; the next new group is ${groups}.`, 400);
      }
      if (input.group === groups) await tx.query('UPDATE topology SET replica_groups = replica_groups + 1 WHERE id = 1');
      return tx.save(tx.create(NodeRecord, { ...input, state: 'joining' }));
    });
    await this.topology.reload();
    return { node: view(result), topologyVersion: version };
  }

  /** Marks a node draining: the next rebalance moves its shards away, then marks it removed. */
  async drain(id: string): Promise<{ node: NodeView; topologyVersion: number }> {
    const { result, version } = await changeTopology(this.ds, async (tx) => {
      const node = await tx.findOne(NodeRecord, { where: { id } });
      if (!node || node.state === 'removed') throw nodeNotFound(id);
      if (node.state === 'joining') {
        throw new MeiliError('miroir_invalid_node_state', `Node \`${id}\` is joining and holds no data: remove it instead.`, 409);
      }
      node.state = 'draining';
      return tx.save(node);
    });
    await this.topology.reload();
    return { node: view(result), topologyVersion: version };
  }

  /**
   * Removes a node. A node that holds no data (joining, with no migration copying into it) is
   * removed at once; one that holds data is drained instead — the rebalance removes it once its
   * shards live elsewhere, so removing never loses a shard.
   */
  async remove(id: string): Promise<{ node: NodeView; topologyVersion: number; drained: boolean }> {
    const { result, version } = await changeTopology(this.ds, async (tx) => {
      const node = await tx.findOne(NodeRecord, { where: { id } });
      if (!node || node.state === 'removed') throw nodeNotFound(id);
      if (node.state === 'joining') {
        const inUse = (await listMigrations(tx)).some((m) => m.toNodes.includes(id) || m.fromNodes.includes(id));
        if (inUse) {
          throw new MeiliError('miroir_invalid_node_state', `Node \`${id}\` is receiving shards from a running rebalance: cancel it first.`, 409);
        }
        node.state = 'removed';
        return { node: await tx.save(node), drained: false };
      }
      if (node.state !== 'draining') node.state = 'draining';
      return { node: await tx.save(node), drained: true };
    });
    await this.topology.reload();
    return { node: view(result.node), topologyVersion: version, drained: result.drained };
  }

  async list(): Promise<NodeView[]> {
    return (await this.ds.getRepository(NodeRecord).find({ order: { id: 'ASC' } })).map(view);
  }

  /** A node that cannot answer with the node master key would fail the rebalance later: refuse now. */
  private async assertReachable(id: string, address: string): Promise<void> {
    const client = new NodeClient({ id, address }, { masterKey: this.loaded.secrets.nodeMasterKey, timeoutMs: 3_000, connections: 1 });
    try {
      await client.health();
      await client.listIndexes({ offset: 0, limit: 1 }); // proves the node master key works
    } catch (err) {
      throw new MeiliError('miroir_node_unreachable', `Node \`${id}\` at ${address} did not answer with the node master key: ${(err as Error).message}`, 400);
    } finally {
      await client.close().catch(() => undefined);
    }
  }
}
