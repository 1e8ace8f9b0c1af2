import { Server, Socket, createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';

export type ProxyState = 'forward' | 'refuse' | 'blackhole';

/**
 * A TCP proxy on loopback in front of a real server (PostgreSQL, Redis), to cut the network the
 * way a failover or a dropped link does: `refuse()` resets every connection, old and new;
 * `blackhole()` keeps connections open but lets nothing through; `restore()` forwards again.
 */
export class TcpProxy {
  port = 0;
  private state: ProxyState = 'forward';
  private readonly pairs = new Set<{ client: Socket; upstream?: Socket }>();
  private readonly server: Server = createServer((client) => this.accept(client));

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Resets every open connection and every new one (like a database that went away). */
  refuse(): void {
    this.state = 'refuse';
    for (const pair of this.pairs) this.drop(pair);
  }

  /** Connections stay open, nothing passes either way (like a silently dropped network). */
  blackhole(): void {
    this.state = 'blackhole';
    for (const pair of this.pairs) {
      pair.client.unpipe();
      pair.upstream?.unpipe();
      pair.client.pause();
      pair.upstream?.pause();
    }
  }

  restore(): void {
    this.state = 'forward';
    // Connections that lived through a blackhole carry half-delivered bytes: drop them, as a real network would time them out.
    for (const pair of this.pairs) this.drop(pair);
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) this.drop(pair);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    client.on('error', () => undefined);
    if (this.state === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    const pair: { client: Socket; upstream?: Socket } = { client };
    this.pairs.add(pair);
    client.on('close', () => this.drop(pair));
    if (this.state === 'blackhole') {
      client.pause();
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    pair.upstream = upstream;
    upstream.on('error', () => undefined);
    upstream.on('close', () => this.drop(pair));
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private drop(pair: { client: Socket; upstream?: Socket }): void {
    this.pairs.delete(pair);
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    if (pair.upstream && !pair.upstream.destroyed) pair.upstream.resetAndDestroy();
  }
}
