import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VendorHttp } from '../../src/integrations/http/vendor-http.js';
import { VendorError } from '../../src/integrations/http/vendor-errors.js';

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
