import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configModule } from '../../src/config/config.module.js';
import { PlatformDb } from '../../src/platform/platform-db.js';
import { PlatformModule } from '../../src/platform/platform.module.js';
import { ReplicaRepository } from '../../src/sync/replica.repository.js';
import { STREAM_FETCHERS } from '../../src/sync/stream-fetchers.js';
import { SyncModule } from '../../src/sync/sync.module.js';
import { daysAgo, LoopbackVendor, seedTenant, TestStreams } from '../support/replica-fakes.js';

describe('SyncModule', () => {
  const saved = { ...process.env };
  let vendor: LoopbackVendor;
  let streams: TestStreams;
  let app: INestApplicationContext | undefined;

  beforeEach(async () => {
    vendor = new LoopbackVendor();
    await vendor.start();
    streams = new TestStreams(vendor);
  });
  afterEach(async () => {
    await app?.close();
    await streams.close();
    await vendor.stop();
    process.env = { ...saved };
  });

  it('on SQLite: migrates, starts the in-process scheduler at boot, syncs a configured stream, and stops at close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sync-module-'));
    Object.assign(process.env, { MOCK_MODE: 'false', DATABASE_URL: `sqlite:${join(dir, 'platform.db')}`, SYNC_INTERVAL_SECONDS: '1', SYNC_HISTORY_DAYS: '30', LIVE_WINDOW_DAYS: '30' });
    const moduleRef = await Test.createTestingModule({
      imports: [
        (await configModule()).module,
        PlatformModule,
        SyncModule.register({ provide: STREAM_FETCHERS, useValue: streams }),
      ],
    }).compile();
    // Seeded before boot: the scheduler plans its streams as the application starts.
    await seedTenant(moduleRef.get(PlatformDb).db, 'acme');
    vendor.put('acme', 'connectwise.tickets', { id: '7', updatedAt: daysAgo(1), body: { summary: 'seven' } });
    streams.add('acme', 'connectwise.tickets');
    app = await moduleRef.init();

    const replica = app.get(ReplicaRepository);
    for (let i = 0; i < 50 && (await replica.getState('acme', 'connectwise.tickets'))?.lastSuccessAt == null; i++) await sleep(100);
    const live = [];
    for await (const batch of replica.readLive('acme', 'connectwise.tickets')) live.push(...batch);
    expect(live).toEqual([{ id: '7', summary: 'seven', tenant_id: 'acme' }]);

    await sleep(1_500);
    expect(streams.runs.get('acme|connectwise.tickets')).toBeGreaterThanOrEqual(2);
    await app.close();
    app = undefined;
    const after = streams.runs.get('acme|connectwise.tickets');
    await sleep(1_500);
    expect(streams.runs.get('acme|connectwise.tickets')).toBe(after);
  });
});
