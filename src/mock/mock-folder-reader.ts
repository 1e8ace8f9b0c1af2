// Reading the mock folder: one symlink policy, one size limit and one reused buffer for every file.
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { isSpace, locateJsonError } from './json-array-pieces.js';
import type { MockDataProblem } from './mock-data-problem.js';
import type { MockDomain } from './mock-domains.js';

export type ReadResult =
  | { status: 'missing' }
  | { status: 'ok'; value: unknown }
  | { status: 'invalid' }
  /** With `pieceBytes`: a file that looks like a JSON array (`[` … `]`), not parsed yet. */
  | { status: 'array'; bytes: Buffer; start: number; end: number };

/** Where the folder really is, and how big a file may be: what every read below checks against. */
export interface Folder {
  dir: string;
  root: string;
  maxFileMb: number;
  /** The memory every file is read into, in turn (reused: fresh memory per file cost more than the reading). */
  scratch: Buffer;
}

/** The size (plus a margin) of the largest data file within the limit: the read buffer is made that big once. */
export async function largestDataFile(folder: Folder, domains: readonly MockDomain[]): Promise<number> {
  const limit = folder.maxFileMb * 2 ** 20;
  const sizes = await Promise.all(
    domains.map(async (domain) => {
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
export async function inspect(folder: Folder, rel: string): Promise<Entry> {
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

export const OUTSIDE = 'is a symbolic link to a path outside the mock data folder (not followed: copy the data into the folder)';

export async function readJson(folder: Folder, file: string, problems: MockDataProblem[], pieceBytes?: number): Promise<ReadResult> {
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

/** Files in a domain folder: `<tenant>.json`; dot-files (editors', atomic writers' temp files) are not data. */
export async function dataFilesIn(folder: Folder, name: string, problems: MockDataProblem[]): Promise<string[]> {
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
