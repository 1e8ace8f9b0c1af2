import { Logger } from '@nestjs/common';
import { ChokidarOptions, FSWatcher, watch } from 'chokidar';
import type { BigIntStats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

/** What `mock_data` health says about the watcher (absent with MOCK_WATCH=false). */
export interface MockWatchStatus {
  /** When the watcher in service became ready on the folder. */
  armed_at?: string;
  /** How many times the watcher was re-created since boot (after the folder was replaced, or an error). */
  rearms: number;
  last_rearm?: { at: string; reason: string };
  /** The folder and its subfolders as the watcher sees them (`.` is the folder itself). */
  watched: string[];
  /** Why `watching` is false right now: a watcher error, a failed re-arm, a folder replaced and not yet re-armed. */
  problem?: string;
}

/** Creates a chokidar watcher; a parameter so that a test can reach the real watcher's events. */
export type CreateWatcher = (path: string, options: ChokidarOptions) => FSWatcher;

/** The folder as the watcher was armed on it: where MOCK_DATA_PATH leads, its identity, its subfolders' identities. */
interface FolderIdentity {
  real: string;
  id: string;
  subfolders: Map<string, string>;
}

const RELOAD_DEBOUNCE_MS = 150;
/** How often the folder's identity is compared with what is watched: a few stat calls. */
const CHECK_INTERVAL_MS = 1000;
/** After failed attempts to arm, wait longer before the next (in check intervals), up to this many. */
const MAX_BACKOFF_CHECKS = 30;
const READY_TIMEOUT_MS = 60_000;

/**
 * Watches the mock-data folder and calls `onChange` (debounced) when anything in it changes.
 *
 * chokidar watches the folder through its parent, so that replacing the folder (regenerating it, `mv`,
 * re-pointing a symlink named by MOCK_DATA_PATH) produces events. What events cannot show — a symlink
 * or folder higher up the path replaced, a subfolder whose watch went stale, a watcher error — is found
 * by comparing, every second and on every health check, the folder's identity (real path, inode and
 * birth time, the same for each subfolder, and the subfolders chokidar reports as watched) with the one
 * the watcher was armed on; on a difference the watcher is re-created and the folder reloaded.
 */
export class MockFolderWatcher {
  private readonly logger = new Logger('MockFileStore');
  private readonly parent: string;
  private watcher?: FSWatcher;
  private armed?: FolderIdentity;
  private armedAt?: Date;
  private rearms = 0;
  private lastRearm?: { at: string; reason: string };
  /** Set while the watcher in service cannot be trusted; `watching` is false until a re-arm succeeds. */
  private problem?: string;
  private debounce?: NodeJS.Timeout;
  private interval?: NodeJS.Timeout;
  private reloadsInFlight = 0;
  private comparing?: Promise<void>;
  private arming?: Promise<void>;
  private failures = 0;
  private nextArmAt = 0;
  private closed = false;

  constructor(
    private readonly root: string,
    private readonly onChange: () => Promise<void>,
    private readonly createWatcher: CreateWatcher = watch,
  ) {
    this.parent = dirname(root);
  }

  /** Arms the watcher (resolves once it is ready, or once arming failed: status() then says why) and starts checking. */
  async start(): Promise<void> {
    const identity = await inspect(this.root);
    if (identity) await this.arm(identity, undefined);
    else this.problem = MISSING;
    this.interval = setInterval(() => void this.tick(), CHECK_INTERVAL_MS);
    this.interval.unref();
  }

  /** True only while a ready watcher, without error, is armed on the folder MOCK_DATA_PATH leads to (as of the last check). */
  get watching(): boolean {
    return this.watcher !== undefined && this.problem === undefined;
  }

  status(): MockWatchStatus {
    return {
      ...(this.armedAt ? { armed_at: this.armedAt.toISOString() } : {}),
      rearms: this.rearms,
      ...(this.lastRearm ? { last_rearm: this.lastRearm } : {}),
      watched: this.watchedFolders(),
      ...(this.problem ? { problem: this.problem } : {}),
    };
  }

  /**
   * Compares the folder with what is watched; on a difference marks the watcher untrusted and starts a
   * re-arm. Resolves once the comparison is done, not the re-arm, so health answers at once and truthfully.
   */
  verify(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.comparing ??= this.compare().finally(() => (this.comparing = undefined));
    return this.comparing;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.debounce);
    clearInterval(this.interval);
    await this.arming;
    await this.watcher?.close();
  }

  private async tick(): Promise<void> {
    // A change is being delivered or loaded: compare once it has settled.
    if (this.debounce || this.reloadsInFlight > 0) return;
    await this.verify();
  }

  private async compare(): Promise<void> {
    const current = await inspect(this.root);
    if (this.closed) return;
    const reason = this.difference(current);
    if (!reason) {
      // Subfolders added (and seen by the watcher) or removed since arming: compare against what is there now.
      this.armed = current;
      return;
    }
    // A replacement is routine (logged once re-armed); errors are logged where they arise.
    if (reason === MISSING && this.problem !== MISSING) this.logger.warn(`Mock data watcher: ${reason}`);
    this.problem = reason;
    if (current && !this.arming && Date.now() >= this.nextArmAt) {
      this.arming = this.arm(current, reason).finally(() => (this.arming = undefined));
    }
  }

  /** Why the watcher in service does not cover the folder MOCK_DATA_PATH leads to now; undefined when it does. */
  private difference(current: FolderIdentity | undefined): string | undefined {
    if (!current) return MISSING;
    if (this.problem === MISSING) return 'the folder was missing and is back';
    if (this.problem) return this.problem;
    if (!this.watcher || !this.armed) return 'the watcher is not armed';
    if (current.real !== this.armed.real) return 'MOCK_DATA_PATH now leads to another folder (a symlink on its path was re-pointed)';
    if (current.id !== this.armed.id) return 'the folder was replaced';
    const watched = new Set(this.watchedFolders());
    for (const [name, id] of current.subfolders) {
      const before = this.armed.subfolders.get(name);
      if (before !== undefined && before !== id) return `the subfolder ${name} was replaced`;
      if (!watched.has(name)) return `the subfolder ${name} is not watched`;
    }
    return undefined;
  }

  /**
   * Retires the watcher in service, creates one on the folder and waits until it is ready. chokidar
   * shares its directory handles between watchers of one process, so the old one must be closed
   * first or the new one would inherit its stale handles; a re-arm therefore reloads, for whatever
   * changed in between.
   */
  private async arm(identity: FolderIdentity, reason: string | undefined): Promise<void> {
    const at = new Date();
    const previous = this.watcher;
    this.watcher = undefined;
    await previous?.close();
    const next = this.createWatcher(this.parent, {
      ignoreInitial: true,
      ignored: (path: string) => path !== this.parent && path !== this.root && !path.startsWith(`${this.root}${sep}`),
      awaitWriteFinish: { stabilityThreshold: 80, pollInterval: 20 },
    });
    next.on('all', () => this.changed());
    next.on('error', (error) => this.failed(next, error));
    try {
      await ready(next);
    } catch (error) {
      await next.close();
      this.failures += 1;
      this.nextArmAt = Date.now() + Math.min(2 ** (this.failures - 1), MAX_BACKOFF_CHECKS) * CHECK_INTERVAL_MS;
      this.problem = `arming the watcher failed (${describe(error)}); retrying`;
      this.logger.error(`Mock data watcher: ${this.problem}`);
      return;
    }
    if (this.closed) {
      await next.close();
      return;
    }
    this.watcher = next;
    this.armed = identity;
    this.armedAt = at;
    this.failures = 0;
    this.problem = undefined;
    if (reason === undefined) return;
    this.rearms += 1;
    this.lastRearm = { at: at.toISOString(), reason };
    this.logger.log(`Mock data watcher re-armed: ${reason}`);
    this.changed();
  }

  private failed(watcher: FSWatcher, error: unknown): void {
    // Errors while arming reject the arming; those of a retired watcher no longer matter.
    if (watcher !== this.watcher || this.closed) return;
    this.problem = `the watcher reported an error (${describe(error)})`;
    this.logger.warn(`Mock data watcher: ${this.problem}; re-arming`);
    void this.verify();
  }

  private changed(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.reload();
    }, RELOAD_DEBOUNCE_MS);
  }

  private async reload(): Promise<void> {
    this.reloadsInFlight += 1;
    try {
      await this.onChange();
    } catch (error) {
      this.logger.error(`Reloading the mock data after a change failed: ${describe(error)}`);
    } finally {
      this.reloadsInFlight -= 1;
    }
  }

  /** The folder (`.`) and its subfolders among the watcher's directories, relative to the folder. */
  private watchedFolders(): string[] {
    if (!this.watcher) return [];
    return Object.keys(this.watcher.getWatched())
      .filter((dir) => dir === this.root || dir.startsWith(`${this.root}${sep}`))
      .map((dir) => relative(this.root, dir) || '.')
      .sort();
  }
}

const MISSING = 'the folder is missing or is not a folder';

/** Resolves on the watcher's first `ready`; rejects on an error before it, or when it takes too long. */
function ready(watcher: FSWatcher): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    const onError = (error: unknown) => {
      clearTimeout(timer);
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    watcher.once('error', onError);
    watcher.once('ready', () => {
      clearTimeout(timer);
      watcher.removeListener('error', onError);
      resolve();
    });
  });
}

/** The folder's real path and identity and each subfolder's identity; undefined when it is missing or not a folder. */
async function inspect(root: string): Promise<FolderIdentity | undefined> {
  try {
    const real = await realpath(root);
    const info = await stat(real, { bigint: true });
    if (!info.isDirectory()) return undefined;
    const subfolders = new Map<string, string>();
    for (const entry of await readdir(real, { withFileTypes: true })) {
      if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
      const sub = await stat(join(real, entry.name), { bigint: true }).catch(() => undefined);
      if (sub?.isDirectory()) subfolders.set(entry.name, identityOf(sub));
    }
    return { real, id: identityOf(info), subfolders };
  } catch {
    return undefined;
  }
}

/** Device, inode and birth time (0 where unknown): ext4 gives a folder deleted and recreated the same inode, not the same birth time. */
function identityOf(info: BigIntStats): string {
  return `${info.dev}:${info.ino}:${info.birthtimeNs}`;
}

/** An error's code and message without absolute paths (health details must not show where the folder is). */
function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/(?<=^|[\s'"(=])\/[^\s'",)]*/g, '<path>');
}
