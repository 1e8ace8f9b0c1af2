import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VendorError } from '../../src/integrations/http/vendor-errors.js';
import { VendorHttp } from '../../src/integrations/http/vendor-http.js';
import { Metrics } from '../../src/metrics/metrics.js';

/*
 * What VendorHttp tells the metrics of each request it sends, against loopback vendors, read back from
 * the real Metrics' registry: every attempt (retries too) under one outcome, 429s counted apart.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
async function vendor(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function counts(metrics: Metrics): Promise<{ requests: Record<string, number>; rateLimited: number }> {
  const json = await metrics.registry.getMetricsAsJSON();
  const values = (name: string) => json.find((m) => m.name === name)?.values ?? [];
  return {
    requests: Object.fromEntries(values('vendor_requests_total').map((v) => [`${v.labels.vendor} ${v.labels.outcome}`, v.value])),
    rateLimited: values('vendor_rate_limited_total').reduce((sum, v) => sum + v.value, 0),
  };
}

const failed = (promise: Promise<unknown>) => promise.then(() => Promise.reject(new Error('expected a failure')), (error: unknown) => error as VendorError);

describe('VendorHttp counts every request it sends', () => {
  const options = { timeoutMs: 300, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, breakerThreshold: 100, allowPrivateNetworks: true };

  it('by the answer: 429 then 503 then 200 is three requests, one of them rate limited', async () => {
    let n = 0;
    const url = await vendor((_req, res) => {
      const status = [429, 503, 200][n++] ?? 200;
      res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '0' } : {}) }).end('{}');
    });
    const metrics = new Metrics();
    await new VendorHttp(options, metrics).request({ vendor: 'connectwise', breakerKey: 'connectwise:t1', url: `${url}/x` });
    expect(await counts(metrics)).toEqual({
      requests: { 'connectwise rate_limited': 1, 'connectwise server_error': 1, 'connectwise ok': 1 },
      rateLimited: 1,
    });
  });

  it('by why no answer came: a timeout, a closed port, a refused address, a stop from our side, each retry counted (timeouts are not retried)', async () => {
    const metrics = new Metrics();
    const http = new VendorHttp(options, metrics);
    const silent = await vendor(() => undefined);
    await failed(http.request({ vendor: 'smileback', breakerKey: 'smileback:t1', url: `${silent}/x` }));

    const closed = await vendor(() => undefined);
    const port = new URL(closed).port;
    const server = servers.pop() as Server;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await failed(http.request({ vendor: 'defender', breakerKey: 'defender:t1', url: `http://127.0.0.1:${port}/x` }));

    // `localhost` passes the literal check and is refused once resolved to a loopback address.
    const guarded = new VendorHttp({ ...options, allowPrivateNetworks: false }, metrics);
    await failed(guarded.request({ vendor: 'sentinelone', breakerKey: 'sentinelone:t1', url: `https://localhost:${port}/x` }));

    const hanging = await vendor(() => undefined);
    const stop = new AbortController();
    const stopped = failed(http.request({ vendor: 'connectwise', breakerKey: 'connectwise:t1', url: `${hanging}/x`, signal: stop.signal }));
    setTimeout(() => stop.abort(), 50);
    await stopped;

    expect(await counts(metrics)).toEqual({
      requests: { 'smileback timeout': 1, 'defender network_error': 3, 'sentinelone refused': 1, 'connectwise cancelled': 1 },
      rateLimited: 0,
    });
  });

  it('through the copy withSecrets makes, and not at all without metrics', async () => {
    const url = await vendor((_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{}'));
    const metrics = new Metrics();
    await failed(new VendorHttp(options, metrics).withSecrets(['s3cret']).request({ vendor: 'connectwise', breakerKey: 'connectwise:t1', url: `${url}/x` }));
    await failed(new VendorHttp(options).request({ vendor: 'connectwise', breakerKey: 'connectwise:t2', url: `${url}/x` }));
    expect(await counts(metrics)).toEqual({ requests: { 'connectwise client_error': 1 }, rateLimited: 0 });
  });
});
