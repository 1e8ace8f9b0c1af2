import { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fault {
  status: number;
  retryAfter?: number | string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  // Token endpoints are exempt unless named here, so a fault lands on the API call the test means.
  path?: string;
  // Only requests with a query parameter of this name, starting with `startsWith` if given (e.g. one of two walks on a path).
  query?: { name: string; startsWith?: string };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** When it arrived (epoch ms): a test counts the requests of a window. */
  at: number;
}

export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Pending {
  remaining: number;
  path?: string;
  query?: { name: string; startsWith?: string };
}

export abstract class FakeVendorServer {
  baseUrl = '';
  readonly requests: RecordedRequest[] = [];
  tokenLifetimeSeconds = 3600;
  maxInFlight = 0;
  /**
   * A vendor misbehaving: rewrites each answer of the API (never the token endpoint's) before it is
   * sent, e.g. pages for ever, a next link to itself, a null item.
   */
  misbehave: ((reply: FakeReply, req: RecordedRequest) => FakeReply) | undefined;
  private inFlight = 0;
  private readonly server: Server = createServer((req, res) => void this.dispatch(req, res));
  private readonly faults: Array<Fault & Pending> = [];
  private readonly hangs: Array<{ ms: number } & Pending> = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly tokens = new Map<string, string>();
  private tokenSerial = 0;
  private expireAfterCalls: number | undefined;

  protected abstract handle(req: RecordedRequest): FakeReply | Promise<FakeReply>;
  protected abstract errorBody(status: number, message: string): unknown;
  protected isTokenPath(_path: string): boolean {
    return false;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  calls(path?: string): number {
    return this.requests.filter((r) => path === undefined || r.path.endsWith(path)).length;
  }

  lastRequest(path?: string): RecordedRequest | undefined {
    return this.requests.filter((r) => path === undefined || r.path.endsWith(path)).at(-1);
  }

  failNext(count: number, fault: Fault): void {
    this.faults.push({ ...fault, remaining: count });
  }

  hang(ms: number, count = 1, path?: string): void {
    this.hangs.push({ ms, remaining: count, path });
  }

  expireTokens(afterCalls = 0): void {
    if (afterCalls <= 0) this.tokens.clear();
    else this.expireAfterCalls = afterCalls;
  }

  get tokensIssued(): number {
    return this.tokenSerial;
  }

  protected issueToken(grant: string): { access_token: string; token_type: string; expires_in: number } {
    const token = `fake-access-${++this.tokenSerial}-${Math.random().toString(36).slice(2)}`;
    this.tokens.set(token, grant);
    return { access_token: token, token_type: 'Bearer', expires_in: this.tokenLifetimeSeconds };
  }

  protected bearerGrant(req: RecordedRequest): string | undefined {
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    const grant = match ? this.tokens.get(match[1]) : undefined;
    if (grant !== undefined && this.expireAfterCalls !== undefined && --this.expireAfterCalls <= 0) {
      this.expireAfterCalls = undefined;
      this.tokens.clear();
    }
    return grant;
  }

  protected json(status: number, body: unknown, headers: Record<string, string> = {}): FakeReply {
    return { status, body, headers };
  }

  private take<T extends Pending>(queue: T[], path: string, query?: URLSearchParams): T | undefined {
    const onQuery = (p: T) => {
      if (p.query === undefined) return true;
      const value = query?.get(p.query.name);
      return value != null && value.startsWith(p.query.startsWith ?? '');
    };
    const index = queue.findIndex((p) => (p.path === undefined ? !this.isTokenPath(path) : path.endsWith(p.path)) && onQuery(p));
    if (index < 0) return undefined;
    const item = queue[index];
    if (--item.remaining <= 0) queue.splice(index, 1);
    return item;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      await this.respond(req, res);
    } finally {
      this.inFlight--;
    }
  }

  private async respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.baseUrl);
    const recorded: RecordedRequest = {
      at: Date.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(recorded);

    const hang = this.take(this.hangs, recorded.path);
    if (hang) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, hang.ms);
        this.timers.add(timer);
      });
      if (res.destroyed) return;
    }

    const fault = this.take(this.faults, recorded.path, recorded.query);
    let reply: FakeReply;
    let raw: string | undefined;
    if (fault) {
      reply = {
        status: fault.status,
        body: fault.body ?? this.errorBody(fault.status, 'injected fault'),
        headers: { ...fault.headers, ...(fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) }) },
      };
      raw = fault.rawBody;
    } else {
      try {
        reply = await this.handle(recorded);
        if (this.misbehave && !this.isTokenPath(recorded.path)) reply = this.misbehave(reply, recorded);
      } catch {
        reply = { status: 500, body: this.errorBody(500, 'fake server crashed') };
      }
    }
    if (res.destroyed) return;
    const text = raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
    res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers });
    res.end(text);
  }
}

// Vendors compare instants, not strings (`…:12Z` sorts after `…:12.5Z`).
export function instantMs(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}
