/**
 * One source contract, run against every implementation of every domain source: MockFileProvider
 * over a folder written from a small data set, and the live replica as the sync keeps it (the real
 * stream fetchers over each vendor's fake server serving the vendor payloads built from the same data
 * set, test/support/vendor-payloads.ts, each stream's first sync run by the real SyncRunner into the
 * platform store) read as ReplicaReads serves it (each stream's live rows).
 * Same underlying data → the same records, field for field, key for key.
 */
import type { ConfigType } from '@nestjs/config';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { mockConfig } from '../../src/config/mock.config.js';
import { ConnectWiseClient, type ConnectWiseIntegration } from '../../src/integrations/connectwise/connectwise.client.js';
import { DefenderClient, type DefenderIntegration } from '../../src/integrations/defender/defender.client.js';
import { SentinelOneClient, type SentinelOneIntegration } from '../../src/integrations/sentinelone/sentinelone.client.js';
import { SmileBackClient, type SmileBackIntegration } from '../../src/integrations/smileback/smileback.client.js';
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
import { PlatformDb } from '../../src/platform/platform-db.js';
import { SecretBox } from '../../src/platform/secret-box.js';
import { streamFetchers, type TenantClients } from '../../src/sync/fetchers/stream-fetchers.js';
import { ReplicaRepository } from '../../src/sync/replica.repository.js';
import type { StreamKey } from '../../src/sync/replica.types.js';
import type { StreamFetchers } from '../../src/sync/stream-fetchers.js';
import type { StreamFetcher, StreamName } from '../../src/sync/stream.js';
import { SyncRunner, SyncRunnerConfig } from '../../src/sync/sync-runner.js';
import { SyncRunsRepository } from '../../src/sync/sync-runs.repository.js';
import { FakeConnectWise } from '../fakes/fake-connectwise.js';
import { FakeDefender } from '../fakes/fake-defender.js';
import type { FakeVendorServer } from '../fakes/fake-server.js';
import { FakeSentinelOne } from '../fakes/fake-sentinelone.js';
import { FakeSmileBack } from '../fakes/fake-smileback.js';
import { platformOn } from '../support/platform.js';
import { writeFolder } from '../support/seed-folder.js';
import { loopbackHttp } from '../support/stream-runs.js';
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

/** What every source offers (the mock TicketSource adds `complete`). */
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
// The data set is dated January 2026: a first sync reaching ten years back keeps it in, whatever today is.
const WINDOW_DAYS = 3650;

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

// ---- the replica, as the sync keeps it

interface LiveSetup {
  vendor: Vendor;
  fake: FakeVendorServer;
  integration: object;
}

/** The streams of CONTRACT_TENANT's integrations, each fetcher over its fake (through the real vendor clients). */
class ContractStreams implements StreamFetchers {
  private readonly http = loopbackHttp({ timeoutMs: 5_000 });
  private readonly clients: TenantClients = {};

  constructor(setups: LiveSetup[]) {
    for (const { vendor, integration } of setups) {
      const key = `${vendor}:${TENANT}`;
      if (vendor === 'connectwise') this.clients.connectwise = new ConnectWiseClient(integration as ConnectWiseIntegration, this.http, key);
      if (vendor === 'smileback') this.clients.smileback = new SmileBackClient(integration as SmileBackIntegration, this.http, key);
      if (vendor === 'sentinelone') this.clients.sentinelone = new SentinelOneClient(integration as SentinelOneIntegration, this.http, key);
      if (vendor === 'defender') this.clients.defender = new DefenderClient(integration as DefenderIntegration, this.http, key);
    }
  }

  streams(): Promise<StreamKey[]> {
    return Promise.resolve(streamFetchers(this.clients).map((f) => ({ tenantId: TENANT, stream: f.stream, vendor: f.vendor })));
  }

  fetcherFor(tenantId: string, stream: StreamName): Promise<StreamFetcher | undefined> {
    return Promise.resolve(tenantId === TENANT ? streamFetchers(this.clients).find((f) => f.stream === stream) : undefined);
  }

  close(): Promise<void> {
    return this.http.onApplicationShutdown();
  }
}

/**
 * Starts the fakes, stores CONTRACT_TENANT's integrations pointing at them, runs each of its streams'
 * first sync with the real SyncRunner (in-memory SQLite), and reads `streams` as the replica reads
 * serve them: each stream's live mapped rows, concatenated. Whatever was opened is closed again if a
 * step fails, so that a failing setup cannot leave a server keeping Jest alive.
 */
async function startSynced(setups: Array<() => Promise<LiveSetup>>, streams: StreamName[]): Promise<Started> {
  const { db, engine } = openDatabase('sqlite::memory:');
  await migrateToLatest(db);
  const { tenants, integrations } = platformOn(db, engine, new SecretBox(randomBytes(32)));
  const started: LiveSetup[] = [];
  let fetchers: ContractStreams | undefined;
  const closeAll = async () => {
    await Promise.all(started.map((s) => s.fake.close()));
    await fetchers?.close();
    await db.destroy();
  };
  try {
    await tenants.create(CONTRACT_TENANT);
    await tenants.create(CONTRACT_EMPTY_TENANT);
    for (const setup of setups) started.push(await setup());
    for (const s of started) await integrations.put(TENANT, s.vendor, { ...s.integration });
    fetchers = new ContractStreams(started);
    const platform = new PlatformDb(db, engine);
    const replica = new ReplicaRepository(platform);
    const runner = new SyncRunner(replica, new SyncRunsRepository(platform), fetchers, new SyncRunnerConfig({ windowDays: WINDOW_DAYS, historyDays: WINDOW_DAYS }));
    for (const key of await fetchers.streams()) {
      const outcome = await runner.run(TENANT, key.stream, 'incremental');
      // A record the mapper skipped would make the replica differ silently: the contract wants none.
      if (outcome.state.lastSuccessAt === null) throw new Error(`${key.stream}: the first sync did not complete`);
      const [run] = await new SyncRunsRepository(platform).recent(TENANT, key.stream, 1);
      if (run.note) throw new Error(`${key.stream}: ${run.note}`);
    }
    const source: SourceUnderTest = {
      async list(tenantId: string): Promise<AnyRecord[]> {
        const records: AnyRecord[] = [];
        for (const stream of streams) for await (const batch of replica.readLive(tenantId, stream)) records.push(...(batch as AnyRecord[]));
        return records;
      },
    };
    return { source, close: closeAll };
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

// ---- the implementations

const IMPLEMENTATIONS: Implementation[] = [
  mock('tickets', TICKETS, (d) => d.tickets as unknown as AnyRecord[]),
  {
    label: 'tickets · synced replica (connectwise.tickets)',
    domain: TICKETS,
    expected: (d) => d.tickets as unknown as AnyRecord[],
    start: (d) => startSynced([() => connectWiseFake(d)], ['connectwise.tickets']),
  },
  mock('time entries', TIME_ENTRIES, (d) => d.timeEntries as unknown as AnyRecord[]),
  {
    label: 'time entries · synced replica (connectwise.time_entries)',
    domain: TIME_ENTRIES,
    expected: (d) => d.timeEntries as unknown as AnyRecord[],
    start: (d) => startSynced([() => connectWiseFake(d)], ['connectwise.time_entries']),
  },
  mock('csat', CSAT, (d) => d.csat as unknown as AnyRecord[]),
  {
    label: 'csat · synced replica (smileback.reviews)',
    domain: CSAT,
    expected: (d) => d.csat as unknown as AnyRecord[],
    start: (d) => startSynced([() => smileBackFake(d)], ['smileback.reviews']),
  },
  mock('security alerts', SECURITY_ALERTS, (d) => d.securityAlerts as unknown as AnyRecord[]),
  {
    label: 'security alerts · synced replica (sentinelone.threats)',
    domain: SECURITY_ALERTS,
    expected: (d) => ofSource(d, 'sentinelone') as unknown as AnyRecord[],
    start: (d) => startSynced([() => sentinelOneFake(d)], ['sentinelone.threats']),
  },
  {
    label: 'security alerts · synced replica (defender.alerts, Graph alerts_v2)',
    domain: SECURITY_ALERTS,
    expected: (d) => ofSource(d, 'defender') as unknown as AnyRecord[],
    start: (d) => startSynced([() => defenderFake(d, 'graph')], ['defender.alerts']),
  },
  {
    label: 'security alerts · synced replica (defender.alerts, endpoint /api/alerts)',
    domain: SECURITY_ALERTS,
    expected: (d) => ofSource(d, 'defender') as unknown as AnyRecord[],
    start: (d) => startSynced([() => defenderFake(d, 'endpoint')], ['defender.alerts']),
  },
  {
    label: 'security alerts · synced replica (SentinelOne + Defender, both streams as read)',
    domain: SECURITY_ALERTS,
    expected: (d) => d.securityAlerts as unknown as AnyRecord[],
    start: (d) => startSynced([() => sentinelOneFake(d), () => defenderFake(d, 'graph')], ['sentinelone.threats', 'defender.alerts']),
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
