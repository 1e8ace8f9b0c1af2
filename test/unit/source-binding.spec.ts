import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { SourceBindingError } from '../../src/source-binding/source-modes.js';
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
import { ConnectWiseTicketSource } from '../../src/tickets/sources/connectwise-ticket-source.js';
import { ConnectWiseTimeEntrySource } from '../../src/time-entries/sources/connectwise-time-entry-source.js';
import { SmileBackCsatSource } from '../../src/csat/sources/smileback-csat-source.js';
import { SentinelOneAlertSource } from '../../src/security-alerts/sources/sentinelone-alert-source.js';
import { DefenderAlertSource } from '../../src/security-alerts/sources/defender-alert-source.js';

async function compileWith(env: Record<string, string>, customize: (b: TestingModuleBuilder) => TestingModuleBuilder = (b) => b) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await customize(Test.createTestingModule({ imports: [AppModule.forRoot()] })).compile();
  } finally {
    process.env = saved;
  }
}

describe('source binding', () => {
  it('binds every source token to MockFileProvider when MOCK_MODE=true', async () => {
    const dir = await writeFolder(seedContents());
    const moduleRef = await compileWith({ MOCK_MODE: 'true', MOCK_DATA_PATH: dir, MOCK_WATCH: 'false' });
    for (const token of [TENANT_SOURCE, TICKET_SOURCE, TIME_ENTRY_SOURCE, CSAT_SOURCE]) {
      expect(moduleRef.get(token, { strict: false })).toBeInstanceOf(MockFileProvider);
    }
    const alertSources = moduleRef.get(SECURITY_ALERT_SOURCES, { strict: false });
    expect(alertSources).toHaveLength(1);
    expect(alertSources[0]).toBeInstanceOf(MockFileProvider);
    await moduleRef.close();
  });

  it('binds the vendor sources when MOCK_MODE=false, and constructs no mock store', async () => {
    const moduleRef = await compileWith({ MOCK_MODE: 'false', DATABASE_URL: 'sqlite::memory:' });
    expect(moduleRef.get(TENANT_SOURCE, { strict: false })).toBeInstanceOf(PlatformTenantSource);
    expect(moduleRef.get(TICKET_SOURCE, { strict: false })).toBeInstanceOf(ConnectWiseTicketSource);
    expect(moduleRef.get(TIME_ENTRY_SOURCE, { strict: false })).toBeInstanceOf(ConnectWiseTimeEntrySource);
    expect(moduleRef.get(CSAT_SOURCE, { strict: false })).toBeInstanceOf(SmileBackCsatSource);
    const alertSources = moduleRef.get(SECURITY_ALERT_SOURCES, { strict: false });
    expect(alertSources.map((s: object) => s.constructor)).toEqual([SentinelOneAlertSource, DefenderAlertSource]);
    expect(moduleRef.get(MockFileStore, { strict: false })).toBeNull();
    await moduleRef.close();
  });

  it('binds MOCK_DOMAINS to the mock folder and the rest to vendors in mixed mode; tenants stay the store\'s', async () => {
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
    expect(moduleRef.get(TIME_ENTRY_SOURCE, { strict: false })).toBeInstanceOf(ConnectWiseTimeEntrySource);
    expect(moduleRef.get(CSAT_SOURCE, { strict: false })).toBeInstanceOf(SmileBackCsatSource);
    const alertSources = moduleRef.get(SECURITY_ALERT_SOURCES, { strict: false });
    expect(alertSources.map((s: object) => s.constructor)).toEqual([MockFileProvider]);
    expect(moduleRef.get(MockFileStore, { strict: false })).toBeInstanceOf(MockFileStore);
    await moduleRef.close();
  });

  it('refuses to boot, rather than fall back to the vendors, when a mocked domain has no mock store', async () => {
    const dir = await writeFolder(seedContents());
    const boot = compileWith(
      { MOCK_MODE: 'false', MOCK_DOMAINS: 'csat', MOCK_DATA_PATH: dir, MOCK_WATCH: 'false', DATABASE_URL: 'sqlite::memory:' },
      (b) => b.overrideProvider(MockFileStore).useValue(null),
    );
    await expect(boot).rejects.toThrow(SourceBindingError);
    await expect(boot).rejects.toThrow(/csat is to be read from the mock folder, but no mock store was built/);
  });
});
