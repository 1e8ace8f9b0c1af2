import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { formatProblem, loadMockData, RECORDING_MANIFEST } from '../../mock/mock-data.loader.js';
import type { RecordedData } from './redactor.js';
import { RECORDED_DOMAINS } from './tenant-recorder.js';

/** A refusal to report in one line (exit 1): nothing was written. */
export class RecordRefusedError extends Error {}

/** Refuses, before anything is fetched, an --out that is a file or a non-empty folder (unless --force). */
export async function checkOutDir(out: string, force: boolean): Promise<void> {
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
 * Writes the folder beside `out` under a temporary name, checks it as the server would load it, and
 * only then renames it into place (replacing an existing folder only after the new one is complete):
 * a failed run leaves no half folder behind.
 */
export async function writeRecording(out: string, files: Map<string, unknown>): Promise<void> {
  const parent = dirname(out);
  const createdParent = await mkdir(parent, { recursive: true });
  const temp = await mkdtemp(join(parent, `.${basename(out)}.recording-`));
  const old = `${temp}.old`;
  try {
    for (const [relative, value] of files) {
      await mkdir(dirname(join(temp, relative)), { recursive: true });
      await writeFile(join(temp, relative), `${JSON.stringify(value, null, 2)}\n`, 'utf8');
    }
    const check = await loadMockData(temp);
    if (!check.ok) {
      throw new RecordRefusedError(
        `the recording would not load as mock data (${check.problems.length} problem(s)), nothing written:\n` +
          check.problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
      );
    }
    const existing = await stat(out).catch(() => undefined);
    if (existing) await rename(out, old);
    try {
      await rename(temp, out);
    } catch (error) {
      if (existing) await rename(old, out);
      throw error;
    }
    await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (createdParent) await rm(createdParent, { recursive: true, force: true });
    throw error;
  }
}
