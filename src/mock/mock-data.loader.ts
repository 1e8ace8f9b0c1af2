import { realpath, stat } from 'node:fs/promises';
import { TENANT_ID_PATTERN } from '../common/validation/formats.js';
import { Tenant } from '../platform/tenant.record.js';
import { eachPiece, locateJsonError } from './json-array-pieces.js';
import { DEFAULT_MAX_FILE_MB } from '../config/mock-limits.js';
import { DEFAULT_PIECE_BYTES, type MockDataLoadResult, type MockDataSnapshot } from './load-worker.protocol.js';
import type { MockDataProblem } from './mock-data-problem.js';
import type { DomainName, MockDomain } from './mock-domains.js';
import { Folder, dataFilesIn, largestDataFile, readJson } from './mock-folder-reader.js';
import { checkRecords, isPlainObject, recordProblems } from './record-checks.js';
import { checkScenarios, SCENARIOS_FILE, ScenarioRule } from './scenarios/scenario-rules.js';

export { formatProblem, type MockDataProblem } from './mock-data-problem.js';

export { DEFAULT_MAX_FILE_MB } from '../config/mock-limits.js';
export { DEFAULT_PIECE_BYTES, type MockDataLoadResult, type MockDataSnapshot } from './load-worker.protocol.js';

export interface LoadOptions {
  maxFileMb?: number;
  /**
   * `false`: references to tickets are not checked. Mixed mode with tickets live: the folder's time
   * entries and surveys name the vendor's tickets, which the folder does not hold (and its own tickets
   * file, if any, is not served).
   */
  checkTicketRefs?: boolean;
  /**
   * Called with each data file's records once the file is checked, while the folder has no problem so
   * far (the load worker streams them to the main thread). With it, the snapshot's maps stay empty
   * (the records are not kept twice); its counts and the problems are as without it.
   */
  onRecords?: (domain: DomainName, tenantId: string, records: object[]) => void | Promise<void>;
  /**
   * Instead of `onRecords`: each data file is parsed and checked in pieces of about `pieceBytes` of
   * text cut between records (the worker's heap then holds a piece, not a file), `onFile` announces
   * each file and `onPiece` gets each piece, with its text (`bytes` from `from` to `to`: whole
   * records, comma-separated), as soon as it is checked, while the folder has no problem so far
   * (the load worker sends the text to the main thread, which parses it again). With them, the
   * snapshot's maps stay empty.
   */
  onFile?: (domain: DomainName, tenantId: string) => void;
  onPiece?: (records: object[], bytes: Buffer, from: number, to: number) => void | Promise<void>;
  pieceBytes?: number;
}

/**
 * A data file's records, checked piece by piece (`LoadOptions.onPiece`), with the same problems as
 * `checkRecords` of the whole file; undefined when the file is malformed (its problem reported).
 */
async function loadPieces(
  domain: MockDomain,
  file: string,
  tenantId: string,
  text: { bytes: Buffer; start: number; end: number },
  ticketIds: Set<string> | undefined,
  problems: MockDataProblem[],
  options: LoadOptions,
): Promise<{ count: number; ids?: Set<string> } | undefined> {
  const before = problems.length;
  const seen = new Map<string, number>();
  const ids = domain.name === 'tickets' ? new Set<string>() : undefined;
  let count = 0;
  if (problems.length === 0) options.onFile?.(domain.name, tenantId);
  const ok = await eachPiece(text.bytes, text.start, text.end, options.pieceBytes ?? DEFAULT_PIECE_BYTES, async (records, from, to) => {
    checkRecords(domain, file, tenantId, records, ticketIds, problems, count, seen);
    if (ids) for (const t of records as { cw_ticket_id?: unknown }[]) ids.add(String(t?.cw_ticket_id));
    count += records.length;
    if (problems.length === 0) await options.onPiece?.(records as object[], text.bytes, from, to);
  });
  if (ok) return { count, ids };
  // Only the file's one problem, as when it is parsed whole.
  problems.length = before;
  const whole = text.bytes.toString('utf8');
  try {
    JSON.parse(whole);
    problems.push({ file, reason: 'could not be cut into records (an internal error of the loader: please report it)' });
  } catch {
    problems.push({ file, ...locateJsonError(whole) });
  }
  return undefined;
}

async function loadTenants(folder: Folder, problems: MockDataProblem[]): Promise<Tenant[] | undefined> {
  const file = 'tenants.json';
  const read = await readJson(folder, file, problems);
  if (read.status === 'missing') {
    problems.push({ file, reason: 'missing: the folder must hold tenants.json listing every tenant' });
    return undefined;
  }
  if (read.status !== 'ok') return undefined;
  if (!Array.isArray(read.value)) {
    problems.push({ file, reason: 'must be a JSON array of tenants' });
    return undefined;
  }
  const before = problems.length;
  const seen = new Map<string, number>();
  read.value.forEach((item, index) => {
    if (!isPlainObject(item)) {
      problems.push({ file, record: index, reason: 'must be a JSON object' });
      return;
    }
    const id = typeof item.id === 'string' ? item.id : undefined;
    problems.push(...recordProblems(Tenant, item, { file, record: index, id }));
    if (id !== undefined) {
      const first = seen.get(id);
      if (first !== undefined) problems.push({ file, record: index, id, field: 'id', reason: `duplicate id (first at record ${first})` });
      else seen.set(id, index);
    }
  });
  return problems.length === before ? (read.value as Tenant[]) : undefined;
}

/** Written by `mock:record` beside tenants.json. */
export const RECORDING_MANIFEST = 'recording.json';

/**
 * A recorded folder holds what live mode served, whose time entries and surveys may point at tickets
 * outside the recorded window (live mode serves them so too): their ticket references are not checked.
 */
async function isRecording(folder: Folder, problems: MockDataProblem[]): Promise<boolean> {
  const read = await readJson(folder, RECORDING_MANIFEST, problems);
  if (read.status !== 'ok') return false;
  if (!isPlainObject(read.value) || typeof read.value.recorded_from !== 'string') {
    problems.push({ file: RECORDING_MANIFEST, reason: 'must be the JSON object mock:record writes (with recorded_from)' });
    return false;
  }
  return true;
}

/**
 * Reads and checks a whole mock-data folder: every problem in every file, at once, on the calling
 * thread. The `mock:validate` CLI calls it directly; the server's startup and reloads call it in a
 * worker thread (`loadMockDataOffThread`), so the same code gives the same report.
 */
export async function loadMockData(domains: readonly MockDomain[], dir: string, options: LoadOptions = {}): Promise<MockDataLoadResult> {
  const problems: MockDataProblem[] = [];
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    return { ok: false, problems: [{ file: dir, reason: info ? 'the mock data folder is not a folder' : 'the mock data folder does not exist' }] };
  }
  const folder: Folder = { dir, root: await realpath(dir), maxFileMb: options.maxFileMb ?? DEFAULT_MAX_FILE_MB, scratch: Buffer.alloc(0) };
  try {
    folder.scratch = Buffer.allocUnsafeSlow(await largestDataFile(folder, domains));
  } catch {
    // Memory refused (a file of gigabytes under a raised MOCK_MAX_FILE_MB): each read then asks for its
    // own, and the file that cannot get it is reported as unreadable, as before this sizing.
  }
  const tenants = await loadTenants(folder, problems);
  const recorded = await isRecording(folder, problems);
  const known = new Set((tenants ?? []).map((t) => t.id));
  const records = {} as Record<DomainName, Map<string, readonly object[]>>;
  const missing: MockDataSnapshot['missing'] = [];
  const ticketIds = new Map<string, Set<string>>();
  const unreadableTickets = new Set<string>();
  let files = tenants ? 1 : 0;
  let recordCount = 0;

  for (const domain of domains) {
    const byTenant = new Map<string, readonly object[]>();
    const served = new Set<string>();
    records[domain.name] = byTenant;
    for (const name of await dataFilesIn(folder, domain.folder, problems)) {
      const file = `${domain.folder}/${name}.json`;
      if (!TENANT_ID_PATTERN.test(name)) {
        problems.push({ file, reason: `'${name}' is not a valid tenant id, so this file can never be served` });
        continue;
      }
      if (tenants && !known.has(name)) {
        problems.push({ file, reason: `tenant '${name}' is not listed in tenants.json` });
        continue;
      }
      // References into a tickets file that could not be read are not checked: that file's problem is reported.
      const refs = domain.ticketRef && !recorded && options.checkTicketRefs !== false && !unreadableTickets.has(name) ? ticketIds.get(name) ?? new Set<string>() : undefined;
      const read = await readJson(folder, file, problems, options.onPiece ? (options.pieceBytes ?? DEFAULT_PIECE_BYTES) : undefined);
      if (read.status === 'array') {
        const loaded = await loadPieces(domain, file, name, read, refs, problems, options);
        if (!loaded) {
          if (domain.name === 'tickets') unreadableTickets.add(name);
          continue;
        }
        if (loaded.ids) ticketIds.set(name, loaded.ids);
        served.add(name);
        files += 1;
        recordCount += loaded.count;
        continue;
      }
      if (read.status === 'ok' && !Array.isArray(read.value)) problems.push({ file, reason: 'must be a JSON array of records' });
      if (read.status !== 'ok' || !Array.isArray(read.value)) {
        if (domain.name === 'tickets') unreadableTickets.add(name);
        continue;
      }
      if (options.onFile && problems.length === 0) options.onFile(domain.name, name);
      checkRecords(domain, file, name, read.value, refs, problems);
      if (domain.name === 'tickets') {
        const ids = new Set<string>();
        for (const t of read.value as { cw_ticket_id?: unknown }[]) ids.add(String(t?.cw_ticket_id));
        ticketIds.set(name, ids);
      }
      // Not reached for an array (it is read in pieces above); sent whole, as one piece, should it be.
      if (options.onPiece) {
        if (problems.length === 0 && read.value.length > 0) {
          const text = Buffer.from(JSON.stringify(read.value));
          await options.onPiece(read.value as object[], text, 1, text.length - 1);
        }
      } else if (!options.onRecords) byTenant.set(name, read.value as object[]);
      else if (problems.length === 0) await options.onRecords(domain.name, name, read.value as object[]);
      served.add(name);
      files += 1;
      recordCount += read.value.length;
    }
    for (const tenant of tenants ?? []) if (!served.has(tenant.id)) missing.push({ tenant_id: tenant.id, domain: domain.name });
  }

  // Optional; read under the same symlink and size policy as every other file of the folder.
  const scenariosFile = await readJson(folder, SCENARIOS_FILE, problems);
  const scenarios = scenariosFile.status === 'ok' ? checkScenarios(scenariosFile.value, tenants ? known : undefined, problems) : [];

  if (problems.length > 0 || !tenants) return { ok: false, problems };
  return { ok: true, snapshot: { tenants, records, missing, files, recordCount, scenarios }, problems: [] };
}
