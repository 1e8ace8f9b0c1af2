import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DOMAINS } from '../../domains.js';
import type { GeneratedDataset } from './mock-data.generator.js';

export interface WrittenDataset {
  /** Paths relative to the output folder, `/`-separated, in the order written. */
  files: string[];
  /** `.json` files already in the domain folders that this data set does not include (left in place). */
  stale: string[];
}

/**
 * Writes the data set as the mock-data folder layout. Each file is written to a temporary
 * file beside it and renamed into place, so a watcher never reads a half-written file.
 * `tenants.json` goes first: a listed tenant without files is valid, files of an unlisted one are not.
 */
export async function writeDataset(dir: string, ds: GeneratedDataset): Promise<WrittenDataset> {
  const files: string[] = [];
  const write = async (relative: string, value: unknown): Promise<void> => {
    await writeFileAtomically(join(dir, relative), `${JSON.stringify(value, null, 2)}\n`);
    files.push(relative);
  };

  await mkdir(dir, { recursive: true });
  await write('tenants.json', ds.tenants);
  for (const { name, folder } of DOMAINS) {
    await mkdir(join(dir, folder), { recursive: true });
    for (const tenant of ds.tenants) await write(`${folder}/${tenant.id}.json`, ds[name][tenant.id] ?? []);
  }
  return { files, stale: await findStaleFiles(dir, new Set(files)) };
}

async function writeFileAtomically(path: string, content: string): Promise<void> {
  // Dot-prefixed and not ending in .json, so folder watchers that look for data files skip it.
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, content, 'utf8');
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function findStaleFiles(dir: string, written: Set<string>): Promise<string[]> {
  const stale: string[] = [];
  for (const { folder } of DOMAINS) {
    for (const name of await readdir(join(dir, folder))) {
      const relative = `${folder}/${name}`;
      if (name.endsWith('.json') && !written.has(relative)) stale.push(relative);
    }
  }
  return stale.sort();
}
