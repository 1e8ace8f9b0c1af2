import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VendorHttp } from '../../src/integrations/http/vendor-http.js';
import { VendorError } from '../../src/integrations/http/vendor-errors.js';
import { scrubSecrets } from '../../src/integrations/http/vendor-text.js';
import { SECRET_SPELLINGS, showsSecret } from '../support/secret-spellings.js';

describe('VendorHttp.withSecrets', () => {
  let echo: Server;
  let url: string;

  beforeAll(async () => {
    // Answers 400 with whatever JSON body it was sent, as some vendors do.
    echo = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `bad request: ${body}` })));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/token`;
  });
  afterAll(() => new Promise((resolve) => echo.close(resolve)));

  const send = (http: VendorHttp, secret: string) =>
    http
      .request({ vendor: 'acme', breakerKey: 'acme:t', method: 'POST', url, body: JSON.stringify({ credential: secret }) })
      .catch((error: VendorError) => error.message);

  it("scrubs the integration's secrets from vendor text even when nothing in the request names them as secret", async () => {
    const http = new VendorHttp({ maxAttempts: 0, allowPrivateNetworks: true });
    const secret = 'json-body-secret-7f3a';
    expect(await send(http, secret)).toContain(secret);
    const scoped = http.withSecrets([secret]);
    const message = await send(scoped, secret);
    expect(message).toMatch(/acme answered 400 to POST \/token: bad request: .*\[redacted\]/);
    expect(message).not.toContain(secret);
  });
});

describe('VendorHttp error text: a secret echoed in any spelling', () => {
  let vendor: Server;
  let url: string;
  let echo = '';

  beforeAll(async () => {
    // Answers every request 400 with the text a test gives it, as a vendor echoing what it was sent does.
    vendor = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(400, { 'content-type': 'text/plain' }).end(echo));
    });
    await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}/api`;
  });
  afterAll(() => new Promise((resolve) => vendor.close(resolve)));

  // Characters that encodings spell differently, a `%41` that looks like an escape, and a non-ASCII letter.
  const SECRETS = {
    'a SentinelOne API token': 'S1/tok+en=&Zq?x%41-eyJr',
    'a SmileBack password': 'p@ss w/rd+=&%Z?é-81f0',
    'a ConnectWise private key': 'cw/Priv+key=&é:41aa',
  };
  const http = new VendorHttp({ maxAttempts: 0, allowPrivateNetworks: true }).withSecrets(Object.values(SECRETS));
  const cases = Object.entries(SECRETS).flatMap(([kind, secret]) => SECRET_SPELLINGS.map((spelling) => [kind, spelling.name, secret, spelling] as const));

  it.each(cases)('%s echoed %s never reaches the error', async (_kind, _name, secret, spelling) => {
    echo = `echo ${spelling.spell(secret)} end`;
    const message = await http.request({ vendor: 'acme', breakerKey: 'acme:t', url }).then(
      () => 'answered',
      (error: VendorError) => error.message,
    );
    expect(message).toMatch(/^acme answered 400 to GET \/api: echo .*\[redacted\].* end$/);
    if (spelling.exact) expect(message).toBe('acme answered 400 to GET /api: echo [redacted] end');
    expect(showsSecret(message, secret)).toBe(false);
  });

  it('leaves text that only resembles a secret alone', async () => {
    echo = 'echo S1/tok and Priv+key, p@ss w/rd, 41aa end';
    const message = await http.request({ vendor: 'acme', breakerKey: 'acme:t', url }).catch((error: VendorError) => error.message);
    expect(message).toBe(`acme answered 400 to GET /api: ${echo}`);
  });

  it('finds a secret wherever it sits in a large body, in any spelling', () => {
    const secret = SECRETS['a SmileBack password'];
    const spelled = [...secret].map((c) => (/[a-z0-9]/i.test(c) ? c : `&#x${c.charCodeAt(0).toString(16)};`)).join('');
    for (const at of [0, 240_000, 245_750, 245_765, 262_130, 262_150, 500_000, 999_000]) {
      const before = 'x'.repeat(at);
      const after = ' y'.repeat(500);
      expect(scrubSecrets(`${before}${spelled}${after}`, Object.values(SECRETS))).toBe(`${before}[redacted]${after}`);
    }
  });

  it('scrubs a megabyte of entity-laden text in linear time', () => {
    const secrets = Object.values(SECRETS);
    const unit = '&amp;%C3%A9\\u0041&#x2F; ';
    const time = (size: number) => {
      const text = unit.repeat(size / unit.length);
      const started = performance.now();
      scrubSecrets(text, secrets);
      return performance.now() - started;
    };
    // The fastest of three runs each, so a busy machine's pauses do not decide it.
    const fastest = (size: number) => Math.min(time(size), time(size), time(size));
    const small = fastest(100_000);
    // Ten times the text within far less than a hundred times the time (quadratic would be 100×).
    expect(fastest(1_000_000)).toBeLessThan(Math.max(30 * small, 2_000));
  });
});
