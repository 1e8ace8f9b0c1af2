import { Test, TestingModuleBuilder } from '@nestjs/testing';
import type { ConfigType } from '@nestjs/config';
import { mockConfig } from '../../src/config/mock.config.js';
import { DOMAINS_MODULE } from '../../src/domains.js';
import { kindOf, SOURCE_MODES, SourceBindingError, sourceModes } from '../../src/config/source-modes.js';
import { SOURCE_SIDES } from '../../src/source-binding/source-binding.js';
import { REPLICA_RECORDS, ReplicaSource } from '../../src/source-binding/replica-source.js';
import { LiveClients } from '../../src/platform/live-clients.js';
import { ReplicaReads } from '../../src/replica-reads/replica-reads.js';
import { SyncScheduler } from '../../src/sync/sync-scheduler.js';
import { AppModule } from '../../src/app.module.js';
import { MockFileProvider } from '../../src/mock/mock-file.provider.js';
import { TENANT_SOURCE } from '../../src/tenants/sources/tenant-source.js';
import { TICKET_SOURCE } from '../../src/tickets/sources/ticket-source.js';
import { TIME_ENTRY_SOURCE } from '../../src/time-entries/sources/time-entry-source.js';
import { CSAT_SOURCE } from '../../src/csat/sources/csat-source.js';
import { SECURITY_ALERT_SOURCES } from '../../src/security-alerts/sources/security-alert-source.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';
import { MockFileStore } from '../../src/mock/mock-file.store.js';
import { PlatformTenantSource } from '../../src/tenants/sources/platform-tenant-source.js';

async function compileWith(env: Record<string, string>, customize: (b: TestingModuleBuilder) => TestingModuleBuilder = (b) => b) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await customize(Test.createTestingModule({ imports: [AppModule.forRoot()] })).compile();
  } finally {
    process.env = saved;
  }
}

const LIVE_DOMAIN_TOKENS = [TICKET_SOURCE, TIME_ENTRY_SOURCE, CSAT_SOURCE];

describe('source binding', () => {
  it('binds every source token to MockFileProvider when MOCK_MODE=true, and builds neither the replica reads nor the sync', async () => {
    const dir = await writeFolder(seedContents());
    const moduleRef = await compileWith({ MOCK_MODE: 'true', MOCK_DATA_PATH: dir, MOCK_WATCH: 'false' });
    for (const token of [TENANT_SOURCE, ...LIVE_DOMAIN_TOKENS]) {
      expect(moduleRef.get(token, { strict: false })).toBeInstanceOf(MockFileProvider);
    }
    const alertSources = moduleRef.get(SECURITY_ALERT_SOURCES, { strict: false });
    expect(alertSources).toHaveLength(1);
    expect(alertSources[0]).toBeInstanceOf(MockFileProvider);
    expect(moduleRef.get(SOURCE_MODES, { strict: false })).toEqual(sourceModes(config(true, ['tickets', 'time_entries', 'csat', 'security_alerts'])));
    // Nothing is live: no replica reads and no sync, absent rather than null; the vendor clients stay,
    // for the admin API's integration test.
    for (const part of [ReplicaReads, REPLICA_RECORDS, SyncScheduler]) expect(() => moduleRef.get(part, { strict: false })).toThrow(/could not find/);
    expect(moduleRef.get(LiveClients, { strict: false })).toBeInstanceOf(LiveClients);
    expect(Object.keys(moduleRef.get(SOURCE_SIDES, { strict: false }))).toEqual(['mock']);
    await moduleRef.close();
  });

  it('binds every live domain to the replica when MOCK_MODE=false (and registers the sync), and constructs no mock store', async () => {
    const moduleRef = await compileWith({ MOCK_MODE: 'false', DATABASE_URL: 'sqlite::memory:' });
    expect(moduleRef.get(TENANT_SOURCE, { strict: false })).toBeInstanceOf(PlatformTenantSource);
    for (const token of LIVE_DOMAIN_TOKENS) expect(moduleRef.get(token, { strict: false })).toBeInstanceOf(ReplicaSource);
    const alertSources = moduleRef.get(SECURITY_ALERT_SOURCES, { strict: false });
    expect(alertSources.map((s: object) => s.constructor)).toEqual([ReplicaSource]);
    expect(moduleRef.get(REPLICA_RECORDS, { strict: false })).toBe(moduleRef.get(ReplicaReads, { strict: false }));
    expect(moduleRef.get(SyncScheduler, { strict: false })).toBeDefined();
    expect(() => moduleRef.get(MockFileStore, { strict: false })).toThrow(/could not find MockFileStore/);
    expect(moduleRef.get(SOURCE_SIDES, { strict: false }).mock).toBeUndefined();
    expect(moduleRef.get(SOURCE_MODES, { strict: false })).toEqual(sourceModes(config(false, [])));
    await moduleRef.close();
  });

  it('binds MOCK_DOMAINS to the mock folder and the rest to the replica in mixed mode; tenants stay the store\'s', async () => {
    const dir = await writeFolder(seedContents());
    const moduleRef = await compileWith({
      MOCK_MODE: 'false',
      MOCK_DOMAINS: 'tickets,security_alerts',
      MOCK_DATA_PATH: dir,
      MOCK_WATCH: 'false',
      DATABASE_URL: 'sqlite::memory:',
    });
    expect(moduleRef.get(TENANT_SOURCE, { strict: false })).toBeInstanceOf(PlatformTenantSource);
    expect(moduleRef.get(TICKET_SOURCE, { strict: false })).toBeInstanceOf(MockFileProvider);
    expect(moduleRef.get(TIME_ENTRY_SOURCE, { strict: false })).toBeInstanceOf(ReplicaSource);
    expect(moduleRef.get(CSAT_SOURCE, { strict: false })).toBeInstanceOf(ReplicaSource);
    const alertSources = moduleRef.get(SECURITY_ALERT_SOURCES, { strict: false });
    expect(alertSources.map((s: object) => s.constructor)).toEqual([MockFileProvider]);
    expect(moduleRef.get(MockFileStore, { strict: false })).toBeInstanceOf(MockFileStore);
    expect(moduleRef.get(SOURCE_SIDES, { strict: false }).mock).toBe(moduleRef.get(MockFileStore, { strict: false }));
    expect(moduleRef.get(ReplicaReads, { strict: false })).toBeInstanceOf(ReplicaReads);
    await moduleRef.close();
  });

  it('refuses to boot, rather than read live, when a mocked domain has no mock store', async () => {
    // Modes that mock csat over a module graph built for live mode: the mock side was never built.
    const boot = compileWith({ MOCK_MODE: 'false', DATABASE_URL: 'sqlite::memory:' }, (b) =>
      b.overrideProvider(SOURCE_MODES).useValue(sourceModes(config(false, ['csat']))),
    );
    await expect(boot).rejects.toThrow(SourceBindingError);
    await expect(boot).rejects.toThrow(/csat is to be read from the mock folder, but no mock store was built/);
  });

  it('refuses to boot, rather than serve the folder, when a live domain has no replica reads', async () => {
    const dir = await writeFolder(seedContents());
    // The real store, captured: the refused boot never closes it, so the test waits for its first load itself.
    let store: MockFileStore | undefined;
    const boot = compileWith({ MOCK_MODE: 'true', MOCK_DATA_PATH: dir, MOCK_WATCH: 'false' }, (b) =>
      b
        .overrideProvider(SOURCE_MODES)
        .useValue({ ...sourceModes(config(false, ['tickets', 'csat', 'security_alerts'])), tenants: 'mock' })
        .overrideProvider(MockFileStore)
        .useFactory({ inject: [mockConfig.KEY], factory: (c: ConfigType<typeof mockConfig>) => (store = new MockFileStore(c, DOMAINS_MODULE)) }),
    );
    await expect(boot).rejects.toThrow(SourceBindingError);
    await expect(boot).rejects.toThrow(/time_entries is to be read from the replica, but the replica reads \(ReplicaReadsModule\) were not registered/);
    await store?.onApplicationShutdown();
  });
});

/** The mock config as validation would never produce it: what the binding must refuse rather than read as live. */
const config = (enabled: boolean, domains: string[]) => ({ enabled, domains }) as unknown as ConfigType<typeof mockConfig>;

describe('source modes: an impossible configuration stops the boot, naming what is wrong', () => {
  it('answers each domain\'s source for the three modes', () => {
    expect(sourceModes(config(true, ['tickets', 'time_entries', 'csat', 'security_alerts']))).toEqual({
      mode: 'mock',
      tenants: 'mock',
      domains: { tickets: 'mock', time_entries: 'mock', csat: 'mock', security_alerts: 'mock' },
    });
    expect(sourceModes(config(false, ['csat']))).toEqual({
      mode: 'mixed',
      tenants: 'live',
      domains: { tickets: 'live', time_entries: 'live', csat: 'mock', security_alerts: 'live' },
    });
    expect(sourceModes(config(false, [])).mode).toBe('live');
  });

  it('refuses an unknown mocked domain instead of serving it live', () => {
    expect(() => sourceModes(config(false, ['tickets', 'alerts']))).toThrow(SourceBindingError);
    expect(() => sourceModes(config(false, ['tickets', 'alerts']))).toThrow('Cannot bind the data sources: unknown mocked domain(s) alerts');
  });

  it('refuses mock mode that leaves a domain to its vendor, even when the list has four entries', () => {
    expect(() => sourceModes(config(true, ['tickets', 'csat']))).toThrow(/MOCK_MODE=true must mock every domain, but time_entries, security_alerts would be live/);
    expect(() => sourceModes(config(true, ['tickets', 'tickets', 'csat', 'csat']))).toThrow(/listed twice: tickets, csat/);
  });

  it('refuses to say where a name that is not a domain comes from', () => {
    const modes = sourceModes(config(false, []));
    expect(kindOf(modes, 'tenants')).toBe('live');
    expect(() => kindOf(modes, 'alerts' as never)).toThrow(/'alerts' is not a domain/);
  });
});
