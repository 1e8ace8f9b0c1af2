import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

/** The rules of `npm run lint:layers` over `cwd`'s src/, as "rule: from → to" lines. */
async function violations(cwd: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'src', '--config', CONFIG, '--output-type', 'json'], {
    cwd,
    maxBuffer: 64 * 2 ** 20,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const result = JSON.parse(stdout) as { summary: { violations: Violation[] } };
  return result.summary.violations.map((v) =>
    v.cycle ? `${v.rule.name}: ${v.from} → ${v.cycle.map((c) => c.name).join(' → ')}` : `${v.rule.name}: ${v.from} → ${v.to}`,
  );
}

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'layers-'));
  for (const [path, text] of Object.entries({ 'tsconfig.json': '{ "compilerOptions": { "module": "nodenext", "moduleResolution": "nodenext" } }', ...files })) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe('layers (docs/architecture.md, `npm run lint:layers`)', () => {
  it('src/ imports only down the layer order, with no cycle', async () => {
    expect(await violations(ROOT)).toEqual([]);
  }, 120_000);

  it('names an upward import (type-only too), a cycle of files or of folders (tickets and time entries included: no exemption), and a folder with no layer', async () => {
    const dir = await tree({
      'src/domains.ts': 'export const DOMAINS = [];\n',
      'src/common/a.ts': "import type { DOMAINS } from '../domains.js';\nexport type A = typeof DOMAINS;\n",
      'src/config/b.ts': "import { c } from './c.js';\nexport const b = () => c;\n",
      'src/config/c.ts': "import { b } from './b.js';\nexport const c = () => b;\n",
      'src/mock/m.ts': "import { t } from '../tickets/t.js';\nexport const m = t;\n",
      'src/tickets/t.ts': 'export const t = 1;\n',
      'src/tickets/u.ts': "import { v } from '../time-entries/v.js';\nexport const u = v;\n",
      'src/time-entries/v.ts': 'export const v = 1;\n',
      'src/time-entries/w.ts': "import { t } from '../tickets/t.js';\nexport const w = t;\n",
      'src/elsewhere/e.ts': "import { t } from '../tickets/t.js';\nexport const e = t;\n",
      'src/csat/x.ts': "import { y } from '../security-alerts/y.js';\nexport const x = y;\n",
      'src/security-alerts/y.ts': 'export const y = 1;\n',
      'src/security-alerts/w.ts': "import { z } from '../csat/z.js';\nexport const w = z;\n",
      'src/csat/z.ts': 'export const z = 1;\n',
    });
    expect((await violations(dir)).sort()).toEqual([
      'common-imports-upward: src/common/a.ts → src/domains.ts',
      'folder-without-layer: src/elsewhere/e.ts → src/tickets/t.ts',
      'mock-imports-upward: src/mock/m.ts → src/tickets/t.ts',
      'no-cycle: src/config/b.ts → src/config/c.ts → src/config/b.ts',
      'no-folder-cycle: src/csat → src/security-alerts → src/csat',
      'no-folder-cycle: src/security-alerts → src/csat → src/security-alerts',
      'no-folder-cycle: src/tickets → src/time-entries → src/tickets',
      'no-folder-cycle: src/time-entries → src/tickets → src/time-entries',
    ]);
  }, 120_000);
});
