/**
 * One source contract, run against every implementation of every domain source: MockFileProvider
 * over a folder written from a small data set, and each live vendor source over its fake server
 * serving the vendor payloads built from the same data set (test/support/vendor-payloads.ts).
 * Same underlying data → the same records, field for field, key for key.
 */
import type { ConfigType } from '@nestjs/config';
import { createCache } from 'cache-manager';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { LiveDeps } from '../../src/live/live-deps.js';
import type { liveConfig } from '../../src/config/live.config.js';
import type { mockConfig } from '../../src/config/mock.config.js';
import { SmileBackCsatSource } from '../../src/csat/sources/smileback-csat-source.js';
import { LiveCache } from '../../src/live/live-cache.js';
import { LiveClients } from '../../src/platform/live-clients.js';
import { VendorHttp } from '../../src/integrations/http/vendor-http.js';
import type { MockDomain } from '../../src/mock/mock-domains.js';
import { CSAT } from '../../src/csat/csat.domain.js';
import { SECURITY_ALERTS } from '../../src/security-alerts/security-alerts.domain.js';
import { TICKETS } from '../../src/tickets/tickets.domain.js';
import { TIME_ENTRIES } from '../../src/time-entries/time-entries.domain.js';
import { MockFileProvider } from '../../src/mock/mock-file.provider.js';
import { MockFileStore } from '../../src/mock/mock-file.store.js';
import { openDatabase } from '../../src/platform/database.js';
import type { Vendor } from '../../src/platform/integration-bodies.dto.js';
import { migrateToLatest } from '../../src/platform/migrations.js';
import { platformOn } from '../support/platform.js';
import { SecretBox } from '../../src/platform/secret-box.js';
import { DefenderAlertSource } from '../../src/security-alerts/sources/defender-alert-source.js';
import { SentinelOneAlertSource } from '../../src/security-alerts/sources/sentinelone-alert-source.js';
import { ConnectWiseTicketSource } from '../../src/tickets/sources/connectwise-ticket-source.js';
import { ConnectWiseTimeEntrySource } from '../../src/time-entries/sources/connectwise-time-entry-source.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { FakeDefender } from '../fakes/fake-defender.js';
import type { FakeVendorServer } from '../fakes/fake-server.js';
import { FakeSentinelOne } from '../fakes/fake-sentinelone.js';
import { FakeSmileBack } from '../fakes/fake-smileback.js';
import { writeFolder } from '../support/seed-folder.js';
import {
  CONTRACT_EMPTY_TENANT,
  CONTRACT_LOCAL_START,
  CONTRACT_TENANT,
  CONTRACT_TIME_ZONE,
  ContractDataSet,
  PRIMARY_EMAIL_ONLY,
  connectWiseState,
  contractDataSet,
  defenderEndpointAlert,
  defenderGraphAlert,
  defenderGraphNonRecords,
  sentinelOneThreat,
  smileBackNonRecords,
  smileBackReview,
} from '../support/vendor-payloads.js';
import { DOMAINS_MODULE } from '../../src/domains.js';

type AnyRecord = Record<string, unknown>;

/** What every source offers (TicketSource adds `complete`). */
interface SourceUnderTest {
  list(tenantId: string): Promise<AnyRecord[]>;
  complete?(tenantId: string, records: AnyRecord[]): Promise<AnyRecord[]>;
}

interface Started {
  source: SourceUnderTest;
  close(): Promise<void>;
}

interface Implementation {
  label: string;
  domain: MockDomain;
  /** The data set's records this implementation must return for CONTRACT_TENANT. */
  expected(data: ContractDataSet): AnyRecord[];
  start(data: ContractDataSet): Promise<Started>;
}

const TENANT = CONTRACT_TENANT.id;
const UNKNOWN_TENANT = 'tenant_contract_unknown';

// The live config object, shaped like src/config/live.config.ts's value, with small delays.
const LIVE_CONFIG: ConfigType<typeof liveConfig> = {
  redisUrl: undefined,
  redisKeyPrefix: 'msp-data:',
  cacheTtlMs: 60_000,
  staleForMs: 60_000,
  localMaxBytes: 64 * 1024 * 1024,
  // The data set is dated January 2026: a window of ten years keeps it in, whatever today is.
  windowDays: 3650,
  http: { timeoutMs: 2_000, maxAttempts: 1, baseDelayMs: 1, concurrencyPerVendor: 4, breakerThreshold: 50, halfOpenAfterMs: 1_000, maxResponseBytes: 64 * 1024 * 1024, allowPrivateNetworks: true },
  walk: { maxRecords: 100_000, maxBytes: 64 * 1024 * 1024, timeoutMs: 30_000 },
};

// ---- mock

async function startMock(domain: MockDomain, data: ContractDataSet): Promise<Started> {
  const dataPath = await writeFolder({
    'tenants.json': [CONTRACT_TENANT, CONTRACT_EMPTY_TENANT],
    [`tickets/${TENANT}.json`]: data.tickets,
    [`time_entries/${TENANT}.json`]: data.timeEntries,
    [`csat/${TENANT}.json`]: data.csat,
    [`security_alerts/${TENANT}.json`]: data.securityAlerts,
  });
  const config: ConfigType<typeof mockConfig> = { enabled: true, domains: ['tickets', 'time_entries', 'csat', 'security_alerts'], dataPath, watch: false, maxFileMb: 256 };
  const store = new MockFileStore(config, DOMAINS_MODULE);
  await store.onModuleInit();
  return {
    source: MockFileProvider.of(store, domain) as unknown as SourceUnderTest,
    close: async () => {
      await store.onApplicationShutdown();
      await rm(dataPath, { recursive: true, force: true });
    },
  };
}

const mock = (label: string, domain: MockDomain, expected: Implementation['expected']): Implementation => ({
  label: `${label} · mock (MockFileProvider)`,
  domain,
  expected,
  start: (data) => startMock(domain, data),
});

// ---- live

/** LiveDeps by hand: the real platform services on in-memory SQLite, real LiveClients and LiveCache. */
async function liveDeps(): Promise<{ deps: LiveDeps; close(): Promise<void> }> {
  const { db, engine } = openDatabase('sqlite::memory:');
  await migrateToLatest(db);
  const { store: platform, tenants } = platformOn(db, engine, new SecretBox(randomBytes(32)));
  await tenants.create(CONTRACT_TENANT);
  await tenants.create(CONTRACT_EMPTY_TENANT);
  const deps: LiveDeps = {
    platform,
    clients: new LiveClients(platform, LIVE_CONFIG, new VendorHttp(LIVE_CONFIG.http)),
    cache: new LiveCache(createCache(), LIVE_CONFIG),
    windowDays: LIVE_CONFIG.windowDays,
  };
  return { deps, close: () => db.destroy() };
}

interface LiveSetup {
  vendor: Vendor;
  fake: FakeVendorServer;
  integration: object;
}

/**
 * Starts the fakes, points CONTRACT_TENANT's integrations at them, builds the source. Whatever was
 * opened is closed again if a step fails, so that a failing setup cannot leave a server keeping Jest alive.
 */
async function startLive(setups: Array<() => Promise<LiveSetup>>, build: (deps: LiveDeps) => SourceUnderTest): Promise<Started> {
  const { deps, close } = await liveDeps();
  const started: LiveSetup[] = [];
  const closeAll = async () => {
    await Promise.all(started.map((s) => s.fake.close()));
    await close();
  };
  try {
    for (const setup of setups) started.push(await setup());
    for (const s of started) await deps.platform.integrations.put(TENANT, s.vendor, { ...s.integration });
    return { source: build(deps), close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function connectWiseFake(data: ContractDataSet): Promise<LiveSetup> {
  const state = connectWiseState(data.tickets, data.timeEntries, {
    timeZone: CONTRACT_TIME_ZONE,
    localStart: CONTRACT_LOCAL_START,
    primaryOnly: PRIMARY_EMAIL_ONLY,
  });
  const fake = await FakeConnectWise.start();
  Object.assign(fake, { tickets: state.tickets, notes: state.notes, members: state.members, timeEntries: state.timeEntries });
  return { vendor: 'connectwise', fake, integration: fake.integration({ time_zone: CONTRACT_TIME_ZONE }) };
}

async function smileBackFake(data: ContractDataSet): Promise<LiveSetup> {
  const reviews = [...data.csat.map(smileBackReview), ...smileBackNonRecords()];
  const fake = await FakeSmileBack.start();
  fake.reviews = reviews;
  return { vendor: 'smileback', fake, integration: fake.integration() };
}

const ofSource = (data: ContractDataSet, source: 'sentinelone' | 'defender') => data.securityAlerts.filter((a) => a.source === source);

async function sentinelOneFake(data: ContractDataSet): Promise<LiveSetup> {
  const threats = ofSource(data, 'sentinelone').map((a) => sentinelOneThreat(a));
  const fake = await FakeSentinelOne.start();
  fake.threats = threats;
  return { vendor: 'sentinelone', fake, integration: fake.integration() };
}

async function defenderFake(data: ContractDataSet, api: 'graph' | 'endpoint'): Promise<LiveSetup> {
  const alerts = ofSource(data, 'defender');
  const graphAlerts = api === 'graph' ? [...alerts.map(defenderGraphAlert), ...defenderGraphNonRecords()] : [];
  const endpointAlerts = api === 'endpoint' ? alerts.map(defenderEndpointAlert) : [];
  const fake = await FakeDefender.start();
  Object.assign(fake, { graphAlerts, endpointAlerts });
  return { vendor: 'defender', fake, integration: fake.integration({ api }) };
}

/** The security alerts as the module binds them in live mode: both vendors' sources, merged. */
class MergedAlertSources implements SourceUnderTest {
  constructor(private readonly sources: SourceUnderTest[]) {}

  async list(tenantId: string): Promise<AnyRecord[]> {
    return (await Promise.all(this.sources.map((s) => s.list(tenantId)))).flat();
  }
}

const asSource = (source: object) => source as unknown as SourceUnderTest;

// ---- the implementations

const IMPLEMENTATIONS: Implementation[] = [
  mock('tickets', TICKETS, (d) => d.tickets as unknown as AnyRecord[]),
  {
    label: 'tickets · live (ConnectWiseTicketSource)',
    domain: TICKETS,
    expected: (d) => d.tickets as unknown as AnyRecord[],
    start: (d) => startLive([() => connectWiseFake(d)], (deps) => asSource(new ConnectWiseTicketSource(deps))),
  },
  mock('time entries', TIME_ENTRIES, (d) => d.timeEntries as unknown as AnyRecord[]),
  {
    label: 'time entries · live (ConnectWiseTimeEntrySource)',
    domain: TIME_ENTRIES,
    expected: (d) => d.timeEntries as unknown as AnyRecord[],
    start: (d) => startLive([() => connectWiseFake(d)], (deps) => asSource(new ConnectWiseTimeEntrySource(deps))),
  },
  mock('csat', CSAT, (d) => d.csat as unknown as AnyRecord[]),
  {
    label: 'csat · live (SmileBackCsatSource)',
    domain: CSAT,
    expected: (d) => d.csat as unknown as AnyRecord[],
    start: (d) => startLive([() => smileBackFake(d)], (deps) => asSource(new SmileBackCsatSource(deps))),
  },
  mock('security alerts', SECURITY_ALERTS, (d) => d.securityAlerts as unknown as AnyRecord[]),
  {
    label: 'security alerts · live (SentinelOneAlertSource)',
    domain: SECURITY_ALERTS,
    expected: (d) => ofSource(d, 'sentinelone') as unknown as AnyRecord[],
    start: (d) => startLive([() => sentinelOneFake(d)], (deps) => asSource(new SentinelOneAlertSource(deps))),
  },
  {
    label: 'security alerts · live (DefenderAlertSource, Graph alerts_v2)',
    domain: SECURITY_ALERTS,
    expected: (d) => ofSource(d, 'defender') as unknown as AnyRecord[],
    start: (d) => startLive([() => defenderFake(d, 'graph')], (deps) => asSource(new DefenderAlertSource(deps))),
  },
  {
    label: 'security alerts · live (DefenderAlertSource, endpoint /api/alerts)',
    domain: SECURITY_ALERTS,
    expected: (d) => ofSource(d, 'defender') as unknown as AnyRecord[],
    start: (d) => startLive([() => defenderFake(d, 'endpoint')], (deps) => asSource(new DefenderAlertSource(deps))),
  },
  {
    label: 'security alerts · live (SentinelOne + Defender merged, as bound)',
    domain: SECURITY_ALERTS,
    expected: (d) => d.securityAlerts as unknown as AnyRecord[],
    start: (d) =>
      startLive(
        [() => sentinelOneFake(d), () => defenderFake(d, 'graph')],
        (deps) => new MergedAlertSources([asSource(new SentinelOneAlertSource(deps)), asSource(new DefenderAlertSource(deps))]),
      ),
  },
];

// ---- helpers

/** The record class's fields in declaration order (from class-validator's metadata, one entry per decorator). */
function fieldOrder(recordClass: new () => unknown): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(recordClass, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

const idOf = (domain: MockDomain, record: AnyRecord) => domain.idFields.map((f) => String(record[f])).join('/');

/** A sorted copy: the mock source hands out its snapshot's own array, which must not be reordered in place. */
function sortedById(domain: MockDomain, records: AnyRecord[]): AnyRecord[] {
  return [...records].sort((a, b) => (idOf(domain, a) < idOf(domain, b) ? -1 : idOf(domain, a) > idOf(domain, b) ? 1 : 0));
}

/** What a response shows: `list`, then `complete` when the source has it. */
async function fetchAll(source: SourceUnderTest, tenantId: string): Promise<AnyRecord[]> {
  const listed = await source.list(tenantId);
  return source.complete ? source.complete(tenantId, listed) : listed;
}

const VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

// ---- the contract

describe.each(IMPLEMENTATIONS)('source contract: $label', (impl) => {
  const data = contractDataSet();
  const expected = sortedById(impl.domain, impl.expected(data));
  let started: Started;
  let source: SourceUnderTest;

  beforeAll(async () => {
    // The builders throw on a record a vendor could not produce; the data set must not be empty.
    expect(expected.length).toBeGreaterThanOrEqual(2);
    started = await impl.start(contractDataSet());
    source = started.source;
  });

  afterAll(async () => {
    await started?.close();
  });

  it("returns exactly the data set's records for the tenant (after `complete` when the source has it)", async () => {
    expect(sortedById(impl.domain, await fetchAll(source, TENANT))).toStrictEqual(expected);
  });

  it('`list` alone returns the same records, only descriptions "" when the source fills them in `complete`', async () => {
    const listed = await source.list(TENANT);
    const want = source.complete ? expected.map((r) => ({ ...r, description: '' })) : expected;
    expect(sortedById(impl.domain, listed)).toStrictEqual(want);
  });

  it("keeps each record's keys in the record class's field order", async () => {
    const order = fieldOrder(impl.domain.recordClass);
    expect(order.length).toBeGreaterThanOrEqual(7);
    for (const records of [await source.list(TENANT), await fetchAll(source, TENANT)]) {
      for (const record of records) {
        expect({ id: idOf(impl.domain, record), keys: Object.keys(record) }).toEqual({
          id: idOf(impl.domain, record),
          keys: order.filter((field) => Object.hasOwn(record, field)),
        });
      }
    }
  });

  it('returns records that pass class-validator validation of the record class, for this tenant only', async () => {
    const records = await fetchAll(source, TENANT);
    expect(records.length).toBe(expected.length);
    for (const record of records) {
      const errors = validateSync(plainToInstance(impl.domain.recordClass, record) as object, VALIDATION);
      expect({ id: idOf(impl.domain, record), errors: errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`) }).toEqual({
        id: idOf(impl.domain, record),
        errors: [],
      });
      expect(record.tenant_id).toBe(TENANT);
    }
  });

  it.each([
    ['a tenant with no data or integration', CONTRACT_EMPTY_TENANT.id],
    ['a tenant nobody knows', UNKNOWN_TENANT],
  ])('returns [] for %s', async (_what, tenantId) => {
    expect(await source.list(tenantId)).toEqual([]);
    if (source.complete) expect(await source.complete(tenantId, [])).toEqual([]);
  });

  it('returns equal results when called twice', async () => {
    const first = sortedById(impl.domain, await fetchAll(source, TENANT));
    const second = sortedById(impl.domain, await fetchAll(source, TENANT));
    expect(second).toStrictEqual(first);
    expect(second).toStrictEqual(expected);
  });
});
