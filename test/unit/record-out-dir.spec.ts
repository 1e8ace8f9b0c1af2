import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOutDir, RecordRefusedError } from '../../src/cli/record/recording-writer.js';

describe('mock:record --out', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'record-out-'));
    await mkdir(join(root, 'work', 'sub'), { recursive: true });
    await writeFile(join(root, 'work', 'notes.txt'), 'mine');
  });

  it('refuses, even with --force, the working folder or a folder holding it', async () => {
    const cwd = join(root, 'work', 'sub');
    for (const out of [cwd, join(root, 'work'), root]) {
      const checked = checkOutDir(out, true, cwd);
      await expect(checked).rejects.toThrow(RecordRefusedError);
      await expect(checkOutDir(out, true, cwd)).rejects.toThrow(`--out ${out} holds the current folder (${cwd}); choose a folder of its own`);
    }
    // A folder whose name starts with two dots is inside, not above.
    await expect(checkOutDir(join(root, 'work'), true, join(root, 'work', '..hidden'))).rejects.toThrow(/holds the current folder/);
  });

  it('accepts a new folder, an empty one, and with --force a non-empty one beside or below the working folder', async () => {
    const cwd = join(root, 'work');
    await expect(checkOutDir(join(root, 'new'), false, cwd)).resolves.toBeUndefined();
    await expect(checkOutDir(join(cwd, 'sub'), false, cwd)).resolves.toBeUndefined();
    await expect(checkOutDir(join(root, 'work-recording'), false, cwd)).resolves.toBeUndefined();
    await expect(checkOutDir(cwd, false, join(root, 'elsewhere'))).rejects.toThrow(/is not empty; pass --force/);
    await expect(checkOutDir(cwd, true, join(root, 'elsewhere'))).resolves.toBeUndefined();
  });
});
