import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { POSTGRES_ADMIN_URL, withoutPassword } from './services.js';

export { POSTGRES_ADDRESS, POSTGRES_ADMIN_URL } from './services.js';

export interface TestDatabase {
  url: string;
  /** The same database reached through another port on loopback (a TcpProxy in front of the server). */
  urlVia(port: number): string;
  drop(): Promise<void>;
}

/** A fresh, uniquely named database for one suite on the run's PostgreSQL; `drop()` removes it. */
export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `msp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL at ${withoutPassword(POSTGRES_ADMIN_URL)} is unreachable (${(error as Error).message}); the global setup found it answering`);
  }
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    urlVia(port: number) {
      const via = new URL(url);
      via.hostname = '127.0.0.1';
      via.port = String(port);
      return via.toString();
    },
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
