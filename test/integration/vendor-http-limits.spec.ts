import type { ConfigType } from '@nestjs/config';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants as zlibConstants, createGzip } from 'node:zlib';
import {
  VendorAddressRefusedError,
  VendorDataError,
  VendorDeadlineError,
  VendorError,
  VendorHttpError,
  VendorResponseTooLargeError,
  VendorTimeoutError,
  VendorUnavailableError,
  VendorWalkTooLargeError,
} from '../../src/integrations/http/vendor-errors.js';
import { VendorWalk } from '../../src/integrations/http/vendor-walk.js';
import { VendorHttp, VendorHttpOptions } from '../../src/integrations/http/vendor-http.js';
import { bodyExcerpt } from '../../src/integrations/http/vendor-text.js';
import type { liveConfig } from '../../src/config/live.config.js';
import { LiveClients } from '../../src/platform/live-clients.js';
import type { IntegrationCredentials, PlatformStore } from '../../src/platform/platform.store.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { vendorFailure } from '../support/vendor-failure.js';

const MB = 1024 * 1024;
const CAP = 8 * MB;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A loopback vendor whose every request runs `handler`; it records what it was asked and when each answer ended. */
class RawVendor {
  url = '';
  calls = 0;
  closedResponses = 0;
  private readonly server: Server;

  constructor(handler: Handler) {
    this.server = createServer((req, res) => {
      this.calls++;
      res.on('close', () => this.closedResponses++);
      handler(req, res);
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const servers: RawVendor[] = [];
async function vendor(handler: Handler): Promise<RawVendor> {
  const server = await new RawVendor(handler).listen();
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

// "At once" is half the 10 s call timeout a waiting client would meet (and far below a quadratic excerpt of 1 MB): a loaded machine passes, a wait still fails.
const PROMPT_MS = 5_000;

function client(over: Partial<VendorHttpOptions> = {}): VendorHttp {
  return new VendorHttp({
    timeoutMs: 10_000,
    maxAttempts: 3,
    baseDelayMs: 1,
    maxDelayMs: 5,
    maxRetryAfterMs: 60_000,
    concurrencyPerVendor: 2,
    breakerThreshold: 5,
    halfOpenAfterMs: 60_000,
    maxResponseBytes: CAP,
    allowPrivateNetworks: true,
    ...over,
  });
}

const failure = vendorFailure;

const CHUNK = Buffer.alloc(64 * 1024, 'a');

/** Writes `total` bytes (Infinity: forever) in chunks, waiting for the client to read each; stops when the client goes. */
function stream(res: ServerResponse, total: number, headers: Record<string, string | number> = {}): void {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  let sent = 0;
  const write = () => {
    while (!res.destroyed && sent < total) {
      sent += CHUNK.length;
      if (!res.write(CHUNK)) return void res.once('drain', write);
    }
    if (!res.destroyed) res.end();
  };
  write();
}

async function gzipBomb(inflatedBytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: zlibConstants.Z_BEST_COMPRESSION });
  const parts: Buffer[] = [];
  gzip.on('data', (d: Buffer) => parts.push(d));
  const zeros = Buffer.alloc(MB);
  for (let written = 0; written < inflatedBytes; written += MB) {
    if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  await new Promise((resolve) => gzip.end(resolve));
  return Buffer.concat(parts);
}

/** RSS growth while `run` goes, sampled so that a peak that is given back is still seen. */
async function peakRssGrowth<T>(run: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    const result = await run();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growthMb: (peak - before) / MB };
  } finally {
    clearInterval(sampler);
  }
}

async function eventually(check: () => boolean, withinMs = 2000): Promise<void> {
  const until = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('VendorHttp: the size of a vendor answer is capped (VENDOR_MAX_RESPONSE_MB)', () => {
  const expectTooLarge = (error: VendorError) => {
    expect(error).toBeInstanceOf(VendorResponseTooLargeError);
    expect(error).toBeInstanceOf(VendorDataError);
    expect(error).toMatchObject({ vendor: 'acme', httpStatus: 502, problemType: '/problems/vendor-data', limitBytes: CAP });
    expect(error.message).toBe('acme response: body of GET /big is over the 8 MB limit (VENDOR_MAX_RESPONSE_MB)');
  };

  it('cuts a 500 MB body at the cap, without keeping it in memory, and does not retry', async () => {
    const server = await vendor((_req, res) => stream(res, 500 * MB));
    const http = client();
    const { result, growthMb } = await peakRssGrowth(() =>
      failure(http.request({ vendor: 'acme', breakerKey: 'acme:t', url: `${server.url}/big` })),
    );
    expectTooLarge(result);
    expect(growthMb).toBeLessThan(150);
    expect(server.calls).toBe(1);
    await eventually(() => server.closedResponses === 1);
  });

  it('cuts an endless chunked body at the cap and closes the connection', async () => {
    const server = await vendor((_req, res) => stream(res, Number.POSITIVE_INFINITY));
    const { result, growthMb } = await peakRssGrowth(() =>
      failure(client().request({ vendor: 'acme', breakerKey: 'acme:t', url: `${server.url}/big` })),
    );
    expectTooLarge(result);
    expect(growthMb).toBeLessThan(150);
    expect(server.calls).toBe(1);
    await eventually(() => server.closedResponses === 1);
  });

  it('counts the bytes after decompression: a small gzip inflating past the cap fails once, unretried', async () => {
    const bomb = await gzipBomb(200 * MB);
    expect(bomb.length).toBeLessThan(MB);
    const server = await vendor((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
      res.end(bomb);
    });
    const { result, growthMb } = await peakRssGrowth(() =>
      failure(client().request({ vendor: 'acme', breakerKey: 'acme:t', url: `${server.url}/big` })),
    );
    expectTooLarge(result);
    expect(growthMb).toBeLessThan(150);
    expect(server.calls).toBe(1);
  });

  it('fails at once on a declared Content-Length over the cap, before reading the body', async () => {
    // Headers and one chunk, then nothing: only a client that trusts Content-Length answers before its timeout.
    const server = await vendor((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 500 * MB });
      res.write(CHUNK);
    });
    const started = Date.now();
    expectTooLarge(await failure(client().request({ vendor: 'acme', breakerKey: 'acme:t', url: `${server.url}/big` })));
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
    expect(server.calls).toBe(1);
    await eventually(() => server.closedResponses === 1);
  });

  it('reads a body under the cap whole', async () => {
    const payload = JSON.stringify({ items: Array.from({ length: 50_000 }, (_, i) => ({ id: i })) });
    const server = await vendor((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(payload));
    const response = await client().request<{ items: unknown[] }>({ vendor: 'acme', breakerKey: 'acme:t', url: `${server.url}/ok` });
    expect(response.body.items).toHaveLength(50_000);
  });

  it('reads only the start of an error body and drops the connection', async () => {
    const server = await vendor((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/html' });
      res.write('<h1>Bad request</h1>');
      const filler = Buffer.alloc(64 * 1024, 'x');
      const more = () => {
        while (!res.destroyed) if (!res.write(filler)) return void res.once('drain', more);
      };
      more();
    });
    const started = Date.now();
    const error = await failure(client().request({ vendor: 'acme', breakerKey: 'acme:t', url: `${server.url}/bad` }));
    expect(error).toBeInstanceOf(VendorHttpError);
    expect(error).toMatchObject({ status: 400 });
    expect((error as VendorHttpError).bodyExcerpt).toMatch(/^Bad request x+…$/);
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
    await eventually(() => server.closedResponses === 1);
  });
});

describe('bodyExcerpt: cut first, then cleaned in linear time', () => {
  const ONE_MB = 1024 * 1024;
  const shapes: Array<[string, string]> = [
    ['1 MB of <', '<'.repeat(ONE_MB)],
    ['an unclosed tag 1 MB long', `<${'a'.repeat(ONE_MB)}`],
    ['1 MB of <a', '<a'.repeat(ONE_MB / 2)],
    ['1 MB of whitespace', `${' \n\t'.repeat(ONE_MB / 3)}x`],
    ['Bearer and 1 MB of spaces', `Bearer ${' '.repeat(ONE_MB)}!`],
    ['a JSON message of 1 MB of <', JSON.stringify({ message: '<'.repeat(ONE_MB) })],
    ['1 MB of nested brackets', '[{'.repeat(ONE_MB / 2)],
  ];

  it.each(shapes)('summarizes %s well under a second', (_name, text) => {
    const started = performance.now();
    const excerpt = bodyExcerpt(text, ['some-secret-value-0001']);
    expect(performance.now() - started).toBeLessThan(PROMPT_MS);
    expect(excerpt.length).toBeLessThanOrEqual(200);
  });

  it('answers a 1 MB error page of < in well under a second', async () => {
    const page = '<'.repeat(ONE_MB);
    const server = await vendor((_req, res) => res.writeHead(500, { 'content-type': 'text/html' }).end(page));
    const started = Date.now();
    const error = await failure(client({ maxAttempts: 0 }).request({ vendor: 'acme', breakerKey: 'acme:t', url: `${server.url}/x` }));
    expect(error).toBeInstanceOf(VendorHttpError);
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
  });

  it('strips tags as before: a tag runs to the next >, an unclosed < stays', () => {
    expect(bodyExcerpt('<html><body><h1>Service <b>down</b></h1> a < b', [])).toBe('Service down a < b');
    expect(bodyExcerpt('a < b</p> c', [])).toBe('a c');
    expect(bodyExcerpt('<<a>b', [])).toBe('b');
    expect(bodyExcerpt('{"error":{"code":"E1","message":"<p>bad</p>"}}', [])).toBe('E1: <p>bad</p>');
  });

  it('leaves no prefix of a secret that straddles the cut', () => {
    const secret = 'S1-token-ABCDEFGHIJKLMNOP-0123456789';
    // Tags that strip to nothing, so whatever lies at the cut (8 192 characters) leads the excerpt.
    const lead = `<${'x'.repeat(8192 - 12)}>`;
    const text = `${lead}key=${secret} and more`;
    expect(text.indexOf(secret)).toBeLessThan(8192);
    expect(text.indexOf(secret) + secret.length).toBeGreaterThan(8192);
    const excerpt = bodyExcerpt(text, [secret]);
    for (let n = 4; n <= secret.length; n++) expect(excerpt).not.toContain(secret.slice(0, n));
  });

  it('scrubs a secret whole inside the excerpt window even when the body is cut', () => {
    const secret = 'SB-password-0123456789-secret';
    const text = `denied for ${secret} ${'y'.repeat(20_000)}`;
    const excerpt = bodyExcerpt(text, [secret]);
    expect(excerpt).toMatch(/^denied for \[redacted\] y+…$/);
  });
});

describe('VendorHttp: one tenant cannot take another tenant’s slots or circuit', () => {
  it("serves tenant B promptly while tenant A's calls hang with all of A's slots taken", async () => {
    const hung = new Set<ServerResponse>();
    const server = await vendor((req, res) => {
      if (req.url?.startsWith('/hang')) hung.add(res);
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const http = client({ concurrencyPerVendor: 2, timeoutMs: 20_000 });
    const stopA = new AbortController();
    const aCalls = Array.from({ length: 8 }, () =>
      failure(http.request({ vendor: 'sentinelone', breakerKey: 'sentinelone:tenant_a', url: `${server.url}/hang`, signal: stopA.signal })),
    );
    await eventually(() => hung.size === 2);

    const started = Date.now();
    const b = await http.request<{ ok: boolean }>({ vendor: 'sentinelone', breakerKey: 'sentinelone:tenant_b', url: `${server.url}/ok` });
    expect(b.body.ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
    // A is still held at its own limit: two in flight, the rest queued.
    expect(hung.size).toBe(2);

    stopA.abort();
    const errors = await Promise.all(aCalls);
    for (const error of errors) expect(error).toBeInstanceOf(VendorUnavailableError);
    expect(http.breakerStates()).toEqual({ 'sentinelone:tenant_a': 'closed', 'sentinelone:tenant_b': 'closed' });
  });

  it('does not count refused addresses as breaker failures', async () => {
    // `localhost` passes the literal check and is refused after resolution, inside the circuit.
    const server = await vendor((_req, res) => res.end('{}'));
    const url = `https://localhost:${new URL(server.url).port}/x`;
    const http = client({ allowPrivateNetworks: false, breakerThreshold: 2 });
    for (let i = 0; i < 5; i++) {
      const error = await failure(http.request({ vendor: 'acme', breakerKey: 'acme:tenant_a', url }));
      expect(error).toBeInstanceOf(VendorAddressRefusedError);
    }
    expect(http.breakerStates()).toEqual({ 'acme:tenant_a': 'closed' });
    expect(server.calls).toBe(0);
  });

  it('starts a changed integration (a new version in the breaker key) with a closed circuit, dropping the old one', async () => {
    let healthy = false;
    const server = await vendor((_req, res) => res.writeHead(healthy ? 200 : 500, { 'content-type': 'application/json' }).end('{}'));
    const http = client({ maxAttempts: 0, breakerThreshold: 2 });
    const call = (version: string) => http.request({ vendor: 'acme', breakerKey: `acme:tenant_a@${version}`, url: `${server.url}/x` });
    await failure(call('2026-01-01T00:00:00.000Z'));
    await failure(call('2026-01-01T00:00:00.000Z'));
    expect(http.breakerStates()).toEqual({ 'acme:tenant_a': 'open' });
    expect(await failure(call('2026-01-01T00:00:00.000Z'))).toMatchObject({ httpStatus: 503, message: expect.stringContaining('circuit acme:tenant_a is open') });
    expect(server.calls).toBe(2);

    healthy = true;
    expect((await call('2026-01-02T00:00:00.000Z')).status).toBe(200);
    expect(http.breakerStates()).toEqual({ 'acme:tenant_a': 'closed' });
    expect(server.calls).toBe(3);
  });
});

describe('VendorHttp: retries and waits end with the caller', () => {
  it("fails at once, naming the vendor's Retry-After, when that wait would end past the walk's deadline", async () => {
    const server = await vendor((_req, res) => res.writeHead(503, { 'retry-after': '30' }).end());
    const started = Date.now();
    const error = await failure(
      client().request({ vendor: 'acme', breakerKey: 'acme:t', url: `${server.url}/x`, deadlineAt: Date.now() + 5000 }),
    );
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
    expect(error).toBeInstanceOf(VendorUnavailableError);
    expect(error).toMatchObject({ httpStatus: 503, retryAfterSeconds: 30 });
    expect(error.message).toBe("acme is unavailable: asked to retry after 30 s, past the walk's deadline");
    expect(server.calls).toBe(1);
  });

  it("reports the last failure at once when a backoff would end past the walk's deadline", async () => {
    const server = await vendor((_req, res) => res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"bad gateway"}'));
    const started = Date.now();
    const error = await failure(
      client({ baseDelayMs: 10_000, maxDelayMs: 10_000 }).request({
        vendor: 'acme',
        breakerKey: 'acme:t',
        url: `${server.url}/x`,
        deadlineAt: Date.now() + 2000,
      }),
    );
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
    expect(error).toBeInstanceOf(VendorHttpError);
    expect(error).toMatchObject({ status: 502 });
    expect(server.calls).toBe(1);
  });

  it("cuts an attempt at the walk's deadline when that comes before the call's own timeout, without counting it against the vendor", async () => {
    const server = await vendor(() => undefined);
    const http = client({ timeoutMs: 10_000, breakerThreshold: 1 });
    const started = Date.now();
    const error = await failure(http.request({ vendor: 'acme', breakerKey: 'acme:t', url: `${server.url}/x`, deadlineAt: Date.now() + 300 }));
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
    expect(error).toBeInstanceOf(VendorDeadlineError);
    expect(error).toBeInstanceOf(VendorTimeoutError);
    expect(error).toMatchObject({ httpStatus: 504, problemType: '/problems/vendor-timeout' });
    expect(error.message).toBe("acme did not answer GET /x before the walk's deadline (VENDOR_WALK_TIMEOUT_MS)");
    expect(http.breakerStates()).toEqual({ 'acme:t': 'closed' });
  });

  it('ends a hung call promptly when the caller aborts, with the reason it gave, without counting it against the vendor', async () => {
    const server = await vendor(() => undefined);
    const http = client({ breakerThreshold: 1 });
    const stop = new AbortController();
    const reason = new VendorTimeoutError('acme', 'the walk', 1234);
    const pending = failure(http.request({ vendor: 'acme', breakerKey: 'acme:t', url: `${server.url}/x`, signal: stop.signal }));
    await eventually(() => server.calls === 1);
    const started = Date.now();
    stop.abort(reason);
    expect(await pending).toBe(reason);
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
    await eventually(() => server.closedResponses === 1);
    expect(http.breakerStates()).toEqual({ 'acme:t': 'closed' });
  });

  it('ends a Retry-After wait promptly when the caller aborts', async () => {
    const server = await vendor((_req, res) => res.writeHead(429, { 'retry-after': '20' }).end());
    const stop = new AbortController();
    const pending = failure(client().request({ vendor: 'acme', breakerKey: 'acme:t', url: `${server.url}/x`, signal: stop.signal }));
    await eventually(() => server.calls === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    stop.abort();
    const error = await pending;
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
    expect(error).toBeInstanceOf(VendorUnavailableError);
    expect(error.message).toBe('acme is unavailable: the call was stopped by its caller');
    expect(server.calls).toBe(1);
  });

  it('ends a call waiting for a slot promptly when the caller aborts', async () => {
    const server = await vendor(() => undefined);
    const http = client({ concurrencyPerVendor: 1 });
    const first = new AbortController();
    const holding = failure(http.request({ vendor: 'acme', breakerKey: 'acme:t', url: `${server.url}/x`, signal: first.signal }));
    await eventually(() => server.calls === 1);
    const second = new AbortController();
    const queued = failure(http.request({ vendor: 'acme', breakerKey: 'acme:t', url: `${server.url}/x`, signal: second.signal }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    second.abort();
    expect(await queued).toBeInstanceOf(VendorUnavailableError);
    expect(Date.now() - started).toBeLessThan(PROMPT_MS);
    expect(server.calls).toBe(1);
    first.abort();
    await holding;
  });
});

describe('LiveClients: the breaker key carries the integration version', () => {
  let fake: FakeConnectWise;
  beforeEach(async () => {
    fake = await FakeConnectWise.start();
  });
  afterEach(() => fake.close());

  it('gives a changed integration a closed circuit while the old one was open', async () => {
    const { private_key, ...settings } = fake.integration();
    let integration: IntegrationCredentials = { vendor: 'connectwise', settings, secrets: { private_key }, updated_at: '2026-01-01T00:00:00.000Z' };
    // LiveClients reads only the integration from the store, and only `http` from the config.
    const store = { integrationCredentials: () => Promise.resolve(integration) } as unknown as PlatformStore;
    const config = { http: { maxAttempts: 0, breakerThreshold: 2, halfOpenAfterMs: 60_000, allowPrivateNetworks: true } };
    const http = new VendorHttp(config.http);
    const clients = new LiveClients(store, config as unknown as ConfigType<typeof liveConfig>, http);

    fake.failNext(2, { status: 500 });
    const before = (await clients.for('tenant_a', 'connectwise'))!.client;
    await failure(before.ping());
    await failure(before.ping());
    expect(http.breakerStates()).toEqual({ 'connectwise:tenant_a': 'open' });
    expect(await failure(before.ping())).toBeInstanceOf(VendorUnavailableError);

    integration = { ...integration, updated_at: '2026-01-02T00:00:00.000Z' };
    await (await clients.for('tenant_a', 'connectwise'))!.client.ping();
    expect(http.breakerStates()).toEqual({ 'connectwise:tenant_a': 'closed' });
    expect(fake.calls()).toBe(3);
  });
});

describe('VendorHttp and VendorWalk: what one walk may read in all', () => {
  it('refuses the page that takes a walk past its byte budget (VENDOR_WALK_MAX_MB), though each page is under the answer cap', async () => {
    const page = JSON.stringify('a'.repeat(3 * MB));
    const server = await vendor((_req, res) => res.end(page));
    const http = client();
    const walk = new VendorWalk<{ id: number }>('acme', { maxRecords: 1_000, maxBytes: 8 * MB, timeoutMs: 10_000 }, { id: (i) => i.id, updated: () => undefined });
    try {
      const pages: VendorError[] = [];
      for (let page = 0; page < 4 && pages.length === 0; page++) {
        await http.request({ vendor: 'acme', breakerKey: 'acme:t', url: `${server.url}/page${page}`, ...walk.request }).catch((e: VendorError) => pages.push(e));
      }
      expect(server.calls).toBe(3);
      expect(pages[0]).toBeInstanceOf(VendorWalkTooLargeError);
      expect(pages[0]).toMatchObject({ httpStatus: 502, problemType: '/problems/vendor-data' });
      expect(pages[0].message).toBe('acme response: the walk of GET /page2 read more than 8 MB of answers (VENDOR_WALK_MAX_MB)');
      expect(http.breakerStates()).toEqual({ 'acme:t': 'closed' });
    } finally {
      walk.end();
    }
  });

  it('counts an empty page as one record, so a vendor paging emptiness for ever meets the record budget', () => {
    const walk = new VendorWalk<{ id: number }>('acme', { maxRecords: 3, maxBytes: MB, timeoutMs: 10_000 }, { id: (i) => i.id, updated: () => undefined });
    try {
      walk.add([], 'GET /x');
      walk.add([], 'GET /x');
      walk.add([], 'GET /x');
      expect(() => walk.add([], 'GET /x')).toThrow('passed VENDOR_WALK_MAX_RECORDS (3 records) at page 4');
    } finally {
      walk.end();
    }
  });
});

describe('VendorHttp: a half-open circuit stays open when its trial call is stopped by us', () => {
  it('re-opens the circuit when the trial is abandoned by its caller, instead of closing it on no evidence', async () => {
    let hang = false;
    const server = await vendor((_req, res) => {
      if (!hang) return void res.writeHead(500).end('down');
    });
    const http = client({ maxAttempts: 0, breakerThreshold: 2, halfOpenAfterMs: 200 });
    const call = (signal?: AbortSignal) => failure(http.request({ vendor: 'acme', breakerKey: 'acme:t', url: `${server.url}/x`, signal }));
    await call();
    await call();
    expect(http.breakerStates()).toEqual({ 'acme:t': 'open' });
    await new Promise((resolve) => setTimeout(resolve, 250));
    hang = true;
    const stop = new AbortController();
    const trial = call(stop.signal);
    await eventually(() => server.calls === 3);
    stop.abort(new VendorUnavailableError('acme', 'the client went away'));
    await trial;
    await eventually(() => http.breakerStates()['acme:t'] !== 'half-open');
    expect(http.breakerStates()).toEqual({ 'acme:t': 'open' });
    expect(await call()).toBeInstanceOf(VendorUnavailableError);
    expect(server.calls).toBe(3);
  });
});

