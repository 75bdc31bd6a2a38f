// The NodeClients of the current topology, keyed by node id. One pool per node for the life of
// the node: `sync()` follows topology changes (new nodes, changed addresses, removed nodes)
// without disturbing the pools of nodes that did not change.
import { NodeClient } from './client';
import { UnknownNodeError } from './errors';
import type { NodeAddress, NodeClientOptions } from './transport';
import { toOrigin } from './url';

export class NodeClients {
  readonly #clients = new Map<string, NodeClient>();
  readonly #options: NodeClientOptions;
  // Pools being closed after a sync, so close() can wait for them too.
  readonly #closing = new Set<Promise<void>>();

  constructor(nodes: readonly NodeAddress[] = [], options: NodeClientOptions = {}) {
    this.#options = { ...options };
    void this.sync(nodes);
  }

  /** The client of this node; throws UnknownNodeError for an id not in the topology. */
  get(id: string): NodeClient {
    const c = this.#clients.get(id);
    if (c === undefined) throw new UnknownNodeError(id);
    return c;
  }

  tryGet(id: string): NodeClient | undefined {
    return this.#clients.get(id);
  }

  has(id: string): boolean {
    return this.#clients.has(id);
  }

  get size(): number {
    return this.#clients.size;
  }

  ids(): string[] {
    return [...this.#clients.keys()];
  }

  all(): NodeClient[] {
    return [...this.#clients.values()];
  }

  /**
   * Makes the registry match `nodes`: creates clients for new ids, replaces clients whose address
   * changed, removes clients of ids no longer listed. The map is updated synchronously (callers see
   * the new clients at once); the returned promise resolves when the replaced and removed pools
   * have closed gracefully (in-flight requests finish first).
   */
  sync(nodes: readonly NodeAddress[]): Promise<void> {
    // Validate everything before changing anything, so a bad list leaves the registry intact.
    const seen = new Set<string>();
    const origins = nodes.map((node) => {
      if (seen.has(node.id)) throw new Error(`Duplicate node id "${node.id}" in topology`);
      seen.add(node.id);
      return toOrigin(node.address);
    });
    const retired: NodeClient[] = [];
    for (const [i, node] of nodes.entries()) {
      const current = this.#clients.get(node.id);
      if (current !== undefined && current.address === origins[i]) continue;
      if (current !== undefined) retired.push(current);
      this.#clients.set(node.id, new NodeClient(node, this.#options));
    }
    for (const [id, client] of this.#clients) {
      if (!seen.has(id)) {
        retired.push(client);
        this.#clients.delete(id);
      }
    }
    return this.#retire(retired);
  }

  /** Closes every pool (gracefully, bounded by each client's timeout) and empties the registry. */
  async close(): Promise<void> {
    const all = [...this.#clients.values()];
    this.#clients.clear();
    await this.#retire(all);
    await Promise.all([...this.#closing]);
  }

  toString(): string {
    return `NodeClients(${this.ids().join(', ')})`;
  }

  #retire(clients: NodeClient[]): Promise<void> {
    if (clients.length === 0) return Promise.resolve();
    // close() only fails on an already-broken pool; either way the pool is gone.
    const p = Promise.all(clients.map((c) => c.close().catch(() => undefined))).then(() => undefined);
    this.#closing.add(p);
    void p.finally(() => this.#closing.delete(p));
    return p;
  }
}
