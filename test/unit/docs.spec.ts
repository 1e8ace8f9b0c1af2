import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { EnvironmentVariables, validateEnvironment } from '../../src/config/env.validation.js';

const root = process.cwd();
const markdownFiles = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The text outside fenced code blocks (where a `#` line is a comment, not a heading), lines kept in place. */
function prose(text: string): string {
  return text.replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ''));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of prose(readFileSync(join(root, file), 'utf8')).matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** The README's Configuration table: variable → its default cell. */
function readmeDefaults(): Map<string, string> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  return new Map([...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| ([^|]*) \|/gm)].map(([, name, cell]) => [name, cell.trim()]));
}

describe("the README's Configuration table", () => {
  const declared = Object.keys(new EnvironmentVariables());

  it('lists every environment variable the service validates, and no other', () => {
    expect(declared.length).toBeGreaterThan(40);
    expect([...readmeDefaults().keys()].sort()).toEqual([...declared].sort());
  });

  it("gives each variable's default as validation fills it in, or says it is unset", () => {
    const given = { MOCK_MODE: 'true', MOCK_DATA_PATH: './mock-data' };
    const env = validateEnvironment(given) as unknown as Record<string, unknown>;
    const defaults = readmeDefaults();
    for (const name of declared.filter((n) => !(n in given))) {
      const value = env[name];
      const cell = defaults.get(name) ?? '';
      const unset = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
      if (unset) expect({ name, cell }).toEqual({ name, cell: expect.stringMatching(/^(unset|—)/) });
      else expect({ name, cell }).toEqual({ name, cell: expect.stringContaining(`\`${String(value)}\``) });
    }
  });
});

describe('links between README.md and docs/', () => {
  it.each(markdownFiles)('every relative link in %s leads to a file, and to a heading there', (file) => {
    const broken: string[] = [];
    for (const [, target] of prose(readFileSync(join(root, file), 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target)) continue;
      const [path, anchor] = target.split('#');
      const resolved = path === '' ? file : relative(root, join(root, dirname(file), path));
      if (!existsSync(join(root, resolved))) broken.push(`${target}: no file ${resolved}`);
      else if (anchor !== undefined && resolved.endsWith('.md') && !anchors(resolved).has(anchor)) broken.push(`${target}: no heading #${anchor} in ${resolved}`);
    }
    expect(broken).toEqual([]);
  });
});

describe('tables in README.md and docs/', () => {
  it.each(markdownFiles)('every table in %s has its header separator, so it renders', (file) => {
    const lines = prose(readFileSync(join(root, file), 'utf8')).split('\n');
    const unrendered = lines.flatMap((line, i) =>
      line.startsWith('|') && !lines[i - 1]?.startsWith('|') && !/^\|( *:?-+:? *\|)+ *$/.test(lines[i + 1] ?? '') ? [`line ${i + 1}: ${line.slice(0, 60)}`] : [],
    );
    expect(unrendered).toEqual([]);
  });
});
