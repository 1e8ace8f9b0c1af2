import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { ParseError, parse as parseTolerant, printParseErrorCode } from 'jsonc-parser';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { TENANT_ID_PATTERN } from '../common/validation/formats.js';
import { Tenant } from '../tenants/tenant.record.js';
import { compileRecordCheck } from './compiled-record-check.js';
import { DEFAULT_MAX_FILE_MB, DEFAULT_PIECE_BYTES } from './load-worker.protocol.js';
import { DomainName, MOCK_DOMAINS, MockDomain } from './mock-domains.js';
import { checkScenarios, SCENARIOS_FILE, ScenarioRule } from './scenarios/scenario-rules.js';

/** One thing wrong in a mock-data folder, located as precisely as the problem allows. */
export interface MockDataProblem {
  /** Relative to the folder, e.g. `tickets/tenant_demo_cca.json`. */
  file: string;
  /** 0-based index of the record in the file's array. */
  record?: number;
  id?: string;
  field?: string;
  line?: number;
  column?: number;
  reason: string;
}

export interface MockDataSnapshot {
  tenants: Tenant[];
  /** domain → tenant id → records, exactly as parsed from the files. */
  records: Record<DomainName, Map<string, readonly object[]>>;
  /** Which (tenant, domain) pairs have no file: they serve an empty list. */
  missing: { tenant_id: string; domain: DomainName }[];
  files: number;
  recordCount: number;
  /** The rules of the optional scenarios.json (empty without one). */
  scenarios: readonly ScenarioRule[];
}

export type MockDataLoadResult =
  | { ok: true; snapshot: MockDataSnapshot; problems: [] }
  | { ok: false; problems: MockDataProblem[] };

// One problem per field (its first broken rule: the type check comes first), values kept to spot absent fields.
const VALIDATION = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  validationError: { target: false, value: true },
} as const;

export function formatProblem(p: MockDataProblem): string {
  const where = [
    p.file + (p.line !== undefined ? `:${p.line}:${p.column}` : ''),
    p.record !== undefined ? `record ${p.record}${p.id !== undefined ? ` (${p.id})` : ''}` : undefined,
    p.field !== undefined ? `field ${p.field}` : undefined,
  ].filter(Boolean);
  return `${where.join(' ')}: ${p.reason}`;
}

type ReadResult =
  | { status: 'missing' }
  | { status: 'ok'; value: unknown }
  | { status: 'invalid' }
  /** With `pieceBytes`: a file that looks like a JSON array (`[` … `]`), not parsed yet. */
  | { status: 'array'; bytes: Buffer; start: number; end: number };

export { DEFAULT_MAX_FILE_MB, DEFAULT_PIECE_BYTES } from './load-worker.protocol.js';


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
   * (the load worker sends the text to the main thread, whose JSON.parse of it builds the records
   * faster than any copy between threads). With them, the snapshot's maps stay empty.
   */
  onFile?: (domain: DomainName, tenantId: string) => void;
  onPiece?: (records: object[], bytes: Buffer, from: number, to: number) => void | Promise<void>;
  pieceBytes?: number;
}

/** Where the folder really is, and how big a file may be: what every read below checks against. */
interface Folder {
  dir: string;
  root: string;
  maxFileMb: number;
  /**
   * The memory every file is read into, in turn (the largest file's size): a file's bytes are used up
   * (parsed, or copied out in pieces) before the next file is read. Reading into fresh memory each
   * time cost more than the reading: 2 × 100 000 tickets' folder took 1.2 s to read with a new buffer
   * per file, page faults mostly, and a few milliseconds into memory already touched.
   */
  scratch: Buffer;
}

/**
 * The size (plus a margin) of the largest data file the folder holds within the size limit: the read
 * buffer is made that big once. Grown file by file instead, 2 × 100 000 tickets' folder made four
 * buffers (58, 60, 71, 74 MB) and touched 262 MB of new memory for 74 MB of use: about 0.9 s of page
 * faults in the thread reading, on a machine where new memory costs ~6 ms per MiB. Only the bytes a
 * file fills are ever touched, so a margin costs nothing; `readInto` still grows it for a file that grew.
 */
async function largestDataFile(folder: Folder): Promise<number> {
  const limit = folder.maxFileMb * 2 ** 20;
  const sizes = await Promise.all(
    MOCK_DOMAINS.map(async (domain) => {
      const entries = await readdir(join(folder.dir, domain.folder), { withFileTypes: true }).catch(() => []);
      const each = entries
        .filter((e) => e.name.endsWith('.json'))
        .map((e) => stat(join(folder.dir, domain.folder, e.name)).then((s) => (s.isFile() && s.size <= limit ? s.size : 0), () => 0));
      return (await Promise.all(each)).reduce((a, b) => Math.max(a, b), 0);
    }),
  );
  const largest = Math.max(0, ...sizes);
  return largest === 0 ? 0 : largest + 2 ** 16;
}

/** Reads the whole file into `folder.scratch` (grown as needed); the bytes are valid until the next read. */
async function readInto(folder: Folder, path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    // One byte more than the file, so that reaching the end is seen without growing.
    if (folder.scratch.length <= size) folder.scratch = Buffer.allocUnsafeSlow(size + 2 ** 16);
    let length = 0;
    for (;;) {
      if (length === folder.scratch.length) {
        // The file grew while it was read.
        const grown = Buffer.allocUnsafeSlow(length * 2);
        folder.scratch.copy(grown, 0, 0, length);
        folder.scratch = grown;
      }
      const { bytesRead } = await handle.read(folder.scratch, length, folder.scratch.length - length, length);
      if (bytesRead === 0) return folder.scratch.subarray(0, length);
      length += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

type Entry = { kind: 'missing' } | { kind: 'outside' } | { kind: 'file'; size: number } | { kind: 'folder' } | { kind: 'other' };

/**
 * One symlink policy for every path in the folder: a link is followed only when its target
 * resolves inside the folder; a link leading outside is reported, never served.
 */
async function inspect(folder: Folder, rel: string): Promise<Entry> {
  const path = join(folder.dir, rel);
  const link = await lstat(path).catch(() => undefined);
  if (!link) return { kind: 'missing' };
  if (link.isSymbolicLink()) {
    const target = await realpath(path).catch(() => undefined);
    if (!target) return { kind: 'missing' };
    if (target !== folder.root && !target.startsWith(`${folder.root}${sep}`)) return { kind: 'outside' };
  }
  const info = link.isSymbolicLink() ? await stat(path) : link;
  if (info.isFile()) return { kind: 'file', size: info.size };
  return info.isDirectory() ? { kind: 'folder' } : { kind: 'other' };
}

const OUTSIDE = 'is a symbolic link to a path outside the mock data folder (not followed: copy the data into the folder)';

async function readJson(folder: Folder, file: string, problems: MockDataProblem[], pieceBytes?: number): Promise<ReadResult> {
  const entry = await inspect(folder, file);
  if (entry.kind === 'missing') return { status: 'missing' };
  if (entry.kind === 'outside' || entry.kind !== 'file') {
    problems.push({ file, reason: entry.kind === 'outside' ? OUTSIDE : 'is not a regular file' });
    return { status: 'invalid' };
  }
  if (entry.size > folder.maxFileMb * 2 ** 20) {
    problems.push({ file, reason: `is ${(entry.size / 2 ** 20).toFixed(1)} MB, over the ${folder.maxFileMb} MB limit (MOCK_MAX_FILE_MB); split the tenant's data or raise the limit` });
    return { status: 'invalid' };
  }
  let bytes: Buffer;
  try {
    bytes = await readInto(folder, join(folder.dir, file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    problems.push({ file, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    return { status: 'invalid' };
  }
  if (pieceBytes !== undefined) {
    let start = 0;
    while (start < bytes.length && isSpace(bytes[start])) start++;
    let end = bytes.length - 1;
    while (end > start && isSpace(bytes[end])) end--;
    if (bytes[start] === 0x5b && bytes[end] === 0x5d && end > start) return { status: 'array', bytes, start, end };
  }
  // As readFile(…, 'utf8') decodes.
  const text = bytes.toString('utf8');
  try {
    return { status: 'ok', value: JSON.parse(text) };
  } catch {
    problems.push({ file, ...locateJsonError(text) });
    return { status: 'invalid' };
  }
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The index of a comma after `from` that ends a top-level record, or -1. A guess (the first `}` , `{`
 * after `from`, whitespace allowed between): `eachPiece` proves or disproves it by parsing.
 */
function nearRecordEnd(bytes: Uint8Array, from: number, end: number): number {
  for (let i = bytes.indexOf(0x7d, from); i >= 0 && i < end; i = bytes.indexOf(0x7d, i + 1)) {
    let j = i + 1;
    while (j < end && isSpace(bytes[j])) j++;
    if (bytes[j] !== 0x2c) continue;
    let k = j + 1;
    while (k < end && isSpace(bytes[k])) k++;
    if (bytes[k] === 0x7b) return j;
  }
  return -1;
}

/**
 * The same, exactly: walks the text from `after` (the array's `[` or the comma ending the previous
 * piece), minding strings and nesting (several times slower).
 */
function recordEnd(bytes: Uint8Array, from: number, end: number, after: number): number {
  let depth = 1;
  for (let i = after + 1; i < end; i++) {
    const c = bytes[i];
    if (c === 0x22) {
      for (i++; i < end && bytes[i] !== 0x22; i++) if (bytes[i] === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && depth === 1 && i >= from) return i;
  }
  return -1;
}

function parsePiece(text: Buffer, from: number, to: number): unknown[] | undefined {
  try {
    const piece: unknown = JSON.parse(`[${text.toString('utf8', from, to)}]`);
    return Array.isArray(piece) && piece.length > 0 ? piece : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parses the records of the array between `start` (its `[`) and `end` (its `]`) in pieces of about
 * `pieceBytes`, cut at commas between records, handing each to `each`; false when the text is
 * malformed. Sound whatever the cuts: when every piece parses as a non-empty array, each began
 * where a record begins, so the pieces' records are exactly the whole text's. A cut is first guessed
 * (`nearRecordEnd`); when its piece does not parse, the piece is cut again exactly (`recordEnd`).
 */
async function eachPiece(
  bytes: Buffer,
  start: number,
  end: number,
  pieceBytes: number,
  each: (records: unknown[], from: number, to: number) => void | Promise<void>,
): Promise<boolean> {
  let from = start + 1;
  while (from < end && isSpace(bytes[from])) from++;
  if (from === end) return true;
  from = start + 1;
  let after = start;
  while (from < end) {
    const long = end - from > pieceBytes * 1.5;
    let piece: unknown[] | undefined;
    let to = end;
    for (const cut of long ? [nearRecordEnd, recordEnd] : [undefined]) {
      const at = cut ? cut(bytes, from + pieceBytes, end, after) : -1;
      to = at < 0 ? end : at;
      piece = parsePiece(bytes, from, to);
      if (piece) break;
    }
    if (!piece) return false;
    await each(piece, from, to);
    after = to;
    from = to + 1;
  }
  return true;
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

/** JSON.parse says little about where; a tolerant parser finds the first error's offset. */
function locateJsonError(text: string): { line: number; column: number; reason: string } {
  const errors: ParseError[] = [];
  parseTolerant(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const first = errors[0];
  const offset = first ? first.offset : text.length;
  const before = text.slice(0, offset).split('\n');
  const reason = first ? `malformed JSON: ${printParseErrorCode(first.error)}` : 'malformed JSON';
  return { line: before.length, column: before[before.length - 1].length + 1, reason };
}

const CHECKS = new Map<abstract new () => unknown, (record: Record<string, unknown>) => boolean>();

function recordCheck(recordClass: new () => unknown): (record: Record<string, unknown>) => boolean {
  let check = CHECKS.get(recordClass);
  if (!check) {
    check = compileRecordCheck(recordClass);
    CHECKS.set(recordClass, check);
  }
  return check;
}

/** Problems of one record: none when the compiled check passes it, else class-validator's own wording. */
function recordProblems(recordClass: new () => unknown, item: Record<string, unknown>, at: Omit<MockDataProblem, 'reason' | 'field'>): MockDataProblem[] {
  if (recordCheck(recordClass)(item)) return [];
  return validationProblems(validateSync(plainToInstance(recordClass, item) as object, VALIDATION), at);
}

function validationProblems(errors: ValidationError[], base: Omit<MockDataProblem, 'reason' | 'field'>): MockDataProblem[] {
  return errors.flatMap((e) =>
    Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      ...base,
      field: e.property,
      reason:
        rule === 'whitelistValidation'
          ? 'unknown field (not part of the record)'
          : e.value === undefined
            ? 'is required (missing)'
            : message.replace(new RegExp(`^${e.property} `), ''),
    })),
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idOf(record: Record<string, unknown>, idFields: readonly string[]): string | undefined {
  const parts = idFields.map((f) => record[f]);
  return parts.every((p) => typeof p === 'string') ? parts.join('/') : undefined;
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

/** Files in a domain folder: `<tenant>.json`; dot-files (editors', atomic writers' temp files) are not data. */
async function dataFilesIn(folder: Folder, name: string, problems: MockDataProblem[]): Promise<string[]> {
  const entry = await inspect(folder, name);
  if (entry.kind === 'missing') return [];
  if (entry.kind !== 'folder') {
    problems.push({ file: `${name}/`, reason: entry.kind === 'outside' ? OUTSIDE : 'is not a folder' });
    return [];
  }
  try {
    const entries = await readdir(join(folder.dir, name), { withFileTypes: true });
    return entries
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.endsWith('.json') && !e.name.startsWith('.'))
      .map((e) => e.name.slice(0, -'.json'.length))
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') problems.push({ file: `${name}/`, reason: `cannot be listed (${code ?? 'error'})` });
    return [];
  }
}

function checkRecords(
  domain: MockDomain,
  file: string,
  tenantId: string,
  records: unknown[],
  ticketIds: Set<string> | undefined,
  problems: MockDataProblem[],
  /** Where `records` start in the file, and the ids seen before them (when checked piece by piece). */
  offset = 0,
  seen = new Map<string, number>(),
): void {
  const check = recordCheck(domain.recordClass);
  const idField = domain.idFields.length === 1 ? domain.idFields[0] : undefined;
  const ticketRef = ticketIds ? domain.ticketRef : undefined;
  const csat = domain.name === 'csat';
  for (let i = 0; i < records.length; i++) {
    const item = records[i];
    const index = offset + i;
    if (!isPlainObject(item)) {
      problems.push({ file, record: index, reason: 'must be a JSON object' });
      continue;
    }
    let id: string | undefined;
    if (idField === undefined) id = idOf(item, domain.idFields);
    else {
      const value = item[idField];
      id = typeof value === 'string' ? value : undefined;
    }
    if (!check(item)) problems.push(...validationProblems(validateSync(plainToInstance(domain.recordClass, item) as object, VALIDATION), located(file, index, id)));
    const tenant = item.tenant_id;
    if (typeof tenant === 'string' && tenant !== tenantId) {
      problems.push({ ...located(file, index, id), field: 'tenant_id', reason: `'${tenant}' differs from the file's tenant '${tenantId}'` });
    }
    if (id !== undefined) {
      const first = seen.get(id);
      if (first !== undefined) {
        problems.push({ ...located(file, index, id), field: domain.idFields.join('+'), reason: `duplicate id (first at record ${first})` });
      } else seen.set(id, index);
    }
    if (ticketRef !== undefined) {
      const ref = item[ticketRef];
      if (typeof ref === 'string' && !ticketIds!.has(ref)) {
        problems.push({ ...located(file, index, id), field: ticketRef, reason: `points at ticket '${ref}', which does not exist in tickets/${tenantId}.json` });
      }
    }
    if (csat) checkSentiment(item, located(file, index, id), problems);
  }
}

/** A record's location, built only for a problem (a closure per record cost the load a few percent). */
function located(file: string, record: number, id: string | undefined): Omit<MockDataProblem, 'reason'> {
  return { file, record, id };
}

function checkSentiment(item: Record<string, unknown>, at: Omit<MockDataProblem, 'reason'>, problems: MockDataProblem[]): void {
  const score = item.score;
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 1 || score > 5) return;
  const expected = score >= 4 ? 'positive' : score === 3 ? 'neutral' : 'negative';
  if (typeof item.sentiment === 'string' && item.sentiment !== expected) {
    problems.push({ ...at, field: 'sentiment', reason: `'${item.sentiment}' disagrees with score ${score} (expected '${expected}')` });
  }
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
export async function loadMockData(dir: string, options: LoadOptions = {}): Promise<MockDataLoadResult> {
  const problems: MockDataProblem[] = [];
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    return { ok: false, problems: [{ file: dir, reason: info ? 'the mock data folder is not a folder' : 'the mock data folder does not exist' }] };
  }
  const folder: Folder = { dir, root: await realpath(dir), maxFileMb: options.maxFileMb ?? DEFAULT_MAX_FILE_MB, scratch: Buffer.alloc(0) };
  try {
    folder.scratch = Buffer.allocUnsafeSlow(await largestDataFile(folder));
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

  for (const domain of MOCK_DOMAINS) {
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
