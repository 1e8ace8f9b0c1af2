import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDataset } from '../../src/cli/generate/dataset-writer.js';
import { DEFAULT_GENERATE_OPTIONS, generateDataset } from '../../src/cli/generate/mock-data.generator.js';

const SHIPPED_DIR = fileURLToPath(new URL('../../mock-data', import.meta.url));

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

describe('the shipped mock-data folder', () => {
  let generatedDir: string;

  beforeAll(async () => {
    generatedDir = await mkdtemp(join(tmpdir(), 'mock-data-'));
    await writeDataset(generatedDir, generateDataset(DEFAULT_GENERATE_OPTIONS));
  });

  afterAll(async () => {
    await rm(generatedDir, { recursive: true, force: true });
  });

  it('holds exactly the files of the default generation', async () => {
    expect(await listFiles(SHIPPED_DIR)).toEqual(await listFiles(generatedDir));
  });

  it('is byte for byte the default generation (regenerate with `npm run mock:generate`)', async () => {
    const differing: string[] = [];
    for (const file of await listFiles(generatedDir)) {
      const expected = await readFile(join(generatedDir, file));
      const shipped = await readFile(join(SHIPPED_DIR, file)).catch(() => undefined);
      if (!shipped?.equals(expected)) differing.push(`mock-data/${file}`);
    }
    expect(differing).toEqual([]);
  });
});
