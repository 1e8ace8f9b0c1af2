import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readRequiredRuntime, unsupportedNodeMessage } from '../../src/runtime-check.js';

const REQUIRED = { range: '>=24.11.0', pinned: '24.22.3' };

describe('the runtime check every entry point runs first', () => {
  it('refuses an older Node in one line naming the version needed and how to get it', () => {
    const message = unsupportedNodeMessage('v20.20.2', REQUIRED);
    expect(message).toBe(
      'This project needs Node.js >=24.11.0 (.nvmrc: 24.22.3); this is Node.js v20.20.2. ' +
        'Get it with `. scripts/use-node.sh` (bash; fetches it from the npm registry) or `nvm install` (reads .nvmrc), then run the command again.',
    );
    expect(unsupportedNodeMessage('v24.10.9', REQUIRED)).toContain('this is Node.js v24.10.9');
    expect(unsupportedNodeMessage('v22.99.0', { range: '>=24.11.0' })).toMatch(/^This project needs Node.js >=24.11.0; /);
  });

  it('accepts the minimum and anything newer', () => {
    for (const version of ['v24.11.0', 'v24.22.3', 'v25.0.0', 'v30.1.2']) expect(unsupportedNodeMessage(version, REQUIRED)).toBeUndefined();
  });

  it("reads the requirement from package.json's engines and .nvmrc, in the form it can enforce", () => {
    const required = readRequiredRuntime();
    expect(required?.range).toMatch(/^>=\d+\.\d+\.\d+$/);
    expect(required?.pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(unsupportedNodeMessage(process.version, required!)).toBeUndefined();
  });

  it('enforces nothing where package.json is not beside dist/', () => {
    expect(readRequiredRuntime(pathToFileURL(`${mkdtempSync(join(tmpdir(), 'no-package-'))}/`))).toBeUndefined();
  });

  it('leaves the pinned version out when there is no .nvmrc', () => {
    const root = mkdtempSync(join(tmpdir(), 'only-package-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ engines: { node: '>=24.11.0' } }));
    expect(readRequiredRuntime(pathToFileURL(`${root}/`))).toEqual({ range: '>=24.11.0', pinned: undefined });
  });
});

/** A Node older than engines.node on this machine (Debian's /usr/bin/node is 20), if there is one. */
function olderNode(): string | undefined {
  const required = readRequiredRuntime()!;
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(candidate)) continue;
    const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
    if (unsupportedNodeMessage(version, required)) return candidate;
  }
  return undefined;
}

const OLD_NODE = olderNode();
// In CI nothing is skipped: a machine without an old Node there fails this suite instead.
if (!OLD_NODE && process.env.CI) throw new Error('runtime-check.spec: CI needs an old Node at /usr/bin/node or /usr/local/bin/node (e.g. Debian\'s nodejs package)');
if (!OLD_NODE) process.stdout.write('runtime-check.spec: skipping the runs under an old Node: none found at /usr/bin/node or /usr/local/bin/node\n');

(OLD_NODE ? describe : describe.skip)(`the built entry points under an old Node (${OLD_NODE})`, () => {
  it.each(['dist/main.js', 'dist/cli/platform-cli.js keys list', 'dist/cli/mock-cli.js validate'])(
    '%s exits 1 with the one line, before loading anything else',
    (command) => {
      const [entry, ...args] = command.split(' ');
      const run = spawnSync(OLD_NODE!, [entry, ...args], {
        env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'sqlite::memory:' },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^This project needs Node\.js >=\d+\.\d+\.\d+ \(\.nvmrc: [\d.]+\); this is Node\.js v\d+\.\d+\.\d+\. Get it with `\. scripts\/use-node\.sh` .* or `nvm install` .*\n$/);
    },
  );
});
