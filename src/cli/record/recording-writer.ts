import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { DOMAINS } from '../../domains.js';
import { formatProblem, loadMockData, RECORDING_MANIFEST } from '../../mock/mock-data.loader.js';
import type { RecordedData } from './redactor.js';
import { RECORDED_DOMAINS } from './tenant-recorder.js';

/** A refusal to report in one line (exit 1): nothing was written. */
export class RecordRefusedError extends Error {}

/**
 * Refuses, before anything is fetched, an --out that is a file or a non-empty folder (unless --force),
 * and an --out holding the working folder (`--out . --force` would replace the folder one stands in).
 */
export async function checkOutDir(out: string, force: boolean, cwd = process.cwd()): Promise<void> {
  const here = relative(out, cwd);
  if (here === '' || (here !== '..' && !here.startsWith(`..${sep}`) && !isAbsolute(here))) {
    throw new RecordRefusedError(`--out ${out} holds the current folder (${cwd}); choose a folder of its own for the recording`);
  }
  const info = await stat(out).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new RecordRefusedError(`--out ${out} cannot be read (${error.code ?? error.message})`);
  });
  if (!info) return;
  if (!info.isDirectory()) throw new RecordRefusedError(`--out ${out} is a file, not a folder`);
  if (!force && (await readdir(out)).length > 0) {
    throw new RecordRefusedError(`--out ${out} is not empty; pass --force to replace it with the recording`);
  }
}

export interface RecordingManifest {
  recorded_from: string;
  redacted: boolean;
  /** LIVE_WINDOW_DAYS of the recording: records updated in that many days before it. */
  live_window_days: number;
  domains: string[];
}

/** The mock-data folder's files: tenants.json with the tenant, one file per recorded domain, and the manifest. */
export function recordingFiles(data: RecordedData, manifest: RecordingManifest): Map<string, unknown> {
  const files = new Map<string, unknown>([['tenants.json', [data.tenant]]]);
  for (const domain of RECORDED_DOMAINS) {
    const records = data[domain];
    if (records) files.set(`${domain}/${data.tenant.id}.json`, records);
  }
  // No time stamp in it: two recordings with the same seed are byte-identical.
  files.set(RECORDING_MANIFEST, manifest);
  return files;
}

/**
 * The recording's folder while it is written: created beside `out` under a temporary name before
 * anything is fetched (so an --out that cannot be written is refused at once), filled, checked as the
 * server would load it, and only then renamed into place (replacing an existing folder only after the
 * new one is complete). Until then `discard` (or `discardSync`, from a signal handler) removes it: a
 * failed or interrupted run leaves no half folder behind, at --out or beside it.
 */
export class RecordingFolder {
  private done = false;
  /** Where an existing --out waits (with --force) while the new folder is renamed into place. */
  private movedAside: string | undefined;

  private constructor(
    readonly out: string,
    readonly temp: string,
    /** The first folder of --out's path this run created (removed again on failure), if any. */
    private readonly createdParent: string | undefined,
  ) {}

  static async create(out: string): Promise<RecordingFolder> {
    const parent = dirname(out);
    let createdParent: string | undefined;
    let temp: string;
    try {
      createdParent = await mkdir(parent, { recursive: true });
      // mkdir, not mkdtemp: the folder gets the usual permissions (umask), not mkdtemp's 0700.
      temp = join(parent, `.${basename(out)}.recording-${randomBytes(6).toString('hex')}`);
      await mkdir(temp);
    } catch (error) {
      if (createdParent) await rm(createdParent, { recursive: true, force: true });
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new RecordRefusedError(`--out ${out} cannot be written (${code} in ${parent})`);
    }
    return new RecordingFolder(out, temp, createdParent);
  }

  /** Writes the files, checks the folder loads as mock data, and renames it to `out`. */
  async commit(files: Map<string, unknown>): Promise<void> {
    const { out, temp } = this;
    for (const [relative, value] of files) {
      await mkdir(dirname(join(temp, relative)), { recursive: true });
      await writeFile(join(temp, relative), `${JSON.stringify(value, null, 2)}\n`, 'utf8');
    }
    const check = await loadMockData(DOMAINS, temp);
    if (!check.ok) {
      throw new RecordRefusedError(
        `the recording would not load as mock data (${check.problems.length} problem(s)), nothing written:\n` +
          check.problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
      );
    }
    const old = `${temp}.old`;
    const existing = await stat(out).catch(() => undefined);
    if (existing) {
      await rename(out, old);
      this.movedAside = old;
    }
    try {
      await rename(temp, out);
    } catch (error) {
      if (existing) await rename(old, out);
      this.movedAside = undefined;
      throw error;
    }
    this.done = true;
    await rm(old, { recursive: true, force: true });
  }

  /** Removes what this run wrote, unless it was committed. */
  async discard(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await rm(this.temp, { recursive: true, force: true });
    if (this.createdParent) await rm(this.createdParent, { recursive: true, force: true });
  }

  discardSync(): void {
    if (this.done) return;
    this.done = true;
    if (this.movedAside) renameSync(this.movedAside, this.out);
    rmSync(this.temp, { recursive: true, force: true });
    if (this.createdParent) rmSync(this.createdParent, { recursive: true, force: true });
  }
}
