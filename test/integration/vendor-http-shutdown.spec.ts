import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { liveConfig } from '../../src/config/live.config.js';
import { platformConfig } from '../../src/config/platform.config.js';
import { VendorError, VendorUnavailableError } from '../../src/integrations/http/vendor-errors.js';
import { VendorHttp } from '../../src/integrations/http/vendor-http.js';
import { IntegrationsModule } from '../../src/integrations/integrations.module.js';
import { vendorFailure } from '../support/vendor-failure.js';

const HTTP = { timeoutMs: 60_000, maxAttempts: 0, breakerThreshold: 5, halfOpenAfterMs: 60_000, concurrencyPerVendor: 3, allowPrivateNetworks: true };

@Global()
@Module({
  providers: [
    { provide: liveConfig.KEY, useValue: { http: HTTP } },
    // The vendor budgets are kept where the platform database is: SQLite here, so in this process.
    { provide: platformConfig.KEY, useValue: { databaseUrl: 'sqlite::memory:', connectTimeoutMs: 1_000, queryTimeoutMs: 1_000 } },
  ],
  exports: [liveConfig.KEY, platformConfig.KEY],
})
class LiveConfigUnderTest {}

const failure = vendorFailure;

describe('VendorHttp as a provider', () => {
  let hanging: Server;
  let url = '';
  let received = 0;
  beforeEach(async () => {
    received = 0;
    // A vendor that never answers.
    hanging = createServer(() => received++);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/threats`;
  });
  afterEach(async () => {
    hanging.closeAllConnections();
    await new Promise<void>((resolve) => hanging.close(() => resolve()));
  });

  async function boot() {
    const moduleRef = await Test.createTestingModule({ imports: [LiveConfigUnderTest, IntegrationsModule] }).compile();
    await moduleRef.init();
    return moduleRef;
  }

  it('is one instance built from liveConfig.http', async () => {
    const moduleRef = await boot();
    const http = moduleRef.get(VendorHttp);
    expect(moduleRef.get(VendorHttp)).toBe(http);
    expect(http.options).toMatchObject(HTTP);
    await moduleRef.close();
  });

  it('aborts the calls still running when the application shuts down, answered as 503, and refuses later ones', async () => {
    const moduleRef = await boot();
    const http = moduleRef.get(VendorHttp).withSecrets(['a-secret-value-123']);
    const call = (tenant: string) => failure(http.request({ vendor: 'sentinelone', breakerKey: `sentinelone:${tenant}`, url }));
    const running = [call('tenant_a'), call('tenant_b')];
    while (received < 2) await new Promise((resolve) => setTimeout(resolve, 10));

    const started = Date.now();
    await moduleRef.close();
    const errors = await Promise.all(running);
    expect(Date.now() - started).toBeLessThan(2_000);
    for (const error of errors) {
      expect(error).toBeInstanceOf(VendorUnavailableError);
      expect(error).toMatchObject({ httpStatus: 503, vendor: 'sentinelone' });
      expect(error.message).toMatch(/shutting down/);
    }
    expect(await call('tenant_c')).toBeInstanceOf(VendorUnavailableError);
    expect(received).toBe(2);
    // Stops from our side are not the vendor's failures.
    expect(moduleRef.get(VendorHttp).breakerStates()).toEqual({
      'sentinelone:tenant_a': 'closed',
      'sentinelone:tenant_b': 'closed',
      'sentinelone:tenant_c': 'closed',
    });
  });
});
