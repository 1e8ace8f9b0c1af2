// Every entry point runs this before importing the rest, so an old Node gets one clear line, not a crash mid-way.
import { readFileSync } from 'node:fs';
import semver from 'semver';

/** What the project needs: `engines.node` of package.json (a semver range) and the pinned version of `.nvmrc`. */
export interface RequiredRuntime {
  range: string;
  pinned?: string;
}

/**
 * One line saying why `running` (a `process.version`) cannot run the project and how to get a Node
 * that can, or undefined when it can.
 */
export function unsupportedNodeMessage(running: string, required: RequiredRuntime): string | undefined {
  const version = semver.coerce(running);
  if (!version || !semver.validRange(required.range) || semver.satisfies(version, required.range)) return undefined;
  const pinned = required.pinned ? ` (.nvmrc: ${required.pinned})` : '';
  return (
    `This project needs Node.js ${required.range}${pinned}; this is Node.js ${running}. ` +
    'Get it with `. scripts/use-node.sh` (bash; fetches it from the npm registry) or `nvm install` (reads .nvmrc), then run the command again.'
  );
}

/** Reads the requirement from the project's own files; undefined when package.json is not beside dist/. */
export function readRequiredRuntime(root: URL = new URL('../', import.meta.url)): RequiredRuntime | undefined {
  let range: unknown;
  try {
    range = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines?: { node?: unknown } }).engines?.node;
  } catch {
    return undefined;
  }
  if (typeof range !== 'string') return undefined;
  let pinned: string | undefined;
  try {
    pinned = readFileSync(new URL('.nvmrc', root), 'utf8').trim().replace(/^v/, '') || undefined;
  } catch {
    pinned = undefined;
  }
  return { range, pinned };
}

/** Exits 1 with the message on stderr when this Node cannot run the project. */
export function exitOnUnsupportedNode(): void {
  const required = readRequiredRuntime();
  const message = required && unsupportedNodeMessage(process.version, required);
  if (!message) return;
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
