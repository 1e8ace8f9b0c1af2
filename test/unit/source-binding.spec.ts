import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module.js';
import { MockFileProvider } from '../../src/mock/mock-file.provider.js';
import { TENANT_SOURCE } from '../../src/tenants/sources/tenant-source.js';
import { TICKET_SOURCE } from '../../src/tickets/sources/ticket-source.js';
import { TIME_ENTRY_SOURCE } from '../../src/time-entries/sources/time-entry-source.js';
import { CSAT_SOURCE } from '../../src/csat/sources/csat-source.js';
import { SECURITY_ALERT_SOURCES } from '../../src/security-alerts/sources/security-alert-source.js';
import { seedContents, writeFolder } from '../support/seed-folder.js';

async function compileWith(env: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await Test.createTestingModule({ imports: [AppModule.forRoot()] }).compile();
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

  it('stops the boot in live mode, naming the live source that is missing', async () => {
    await expect(compileWith({ MOCK_MODE: 'false' })).rejects.toThrow(/MOCK_MODE=false needs a live source for \w+/);
  });
});
