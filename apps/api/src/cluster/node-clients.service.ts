import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { LoadedConfig } from '@miroir/config';
import { NodeClients, type NodeClient } from '@miroir/meili';
import { LOADED_CONFIG } from '../infra/tokens';
import { TopologyService } from './topology.service';

/** One pooled undici client per node of the topology, following topology changes. */
@Injectable()
export class NodeClientsService implements OnModuleInit, OnModuleDestroy {
  private clients!: NodeClients;

  constructor(
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    private readonly topology: TopologyService,
  ) {}

  private ready?: Promise<void>;

  whenReady(): Promise<void> {
    this.ready ??= this.init();
    return this.ready;
  }

  onModuleInit(): Promise<void> {
    return this.whenReady();
  }

  private async init(): Promise<void> {
    await this.topology.whenReady();
    const { config, secrets } = this.loaded;
    this.clients = new NodeClients([], {
      masterKey: secrets.nodeMasterKey,
      timeoutMs: config.node_client.timeout_ms,
      connections: config.node_client.connections_per_node,
    });
    const sync = (): void => void this.clients.sync(this.topology.topology().nodes.filter((n) => n.state !== 'removed'));
    sync();
    this.topology.onChange(sync);
  }

  async onModuleDestroy(): Promise<void> {
    await this.clients.close();
  }

  get(nodeId: string): NodeClient {
    return this.clients.get(nodeId);
  }

  all(): NodeClient[] {
    return this.clients.all();
  }
}
