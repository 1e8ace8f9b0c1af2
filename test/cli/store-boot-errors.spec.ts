import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { connectionFailureCause } from '../../src/platform/platform.errors.js';
import { runNode } from './run.js';

/** A loopback port that was free a moment ago: nothing answers there. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const ENV = { MOCK_DATA_PATH: './mock-data', MOCK_WATCH: 'false', PORT: '0' };
const ENTRIES = [
  ['the server', ['dist/main.js']],
  ['the platform CLI', ['dist/cli/platform-cli.js', 'keys', 'list']],
] as const;

describe('a platform database that cannot be used is named with its real cause, never its password', () => {
  describe.each(ENTRIES)('%s', (_, args) => {
    it('a database that does not exist on the machine PostgreSQL', async () => {
      const name = `msp_missing_${randomBytes(4).toString('hex')}`;
      const { code, stderr } = await runNode([...args], { ...ENV, DATABASE_URL: `postgres://postgres:s3cret-pw@127.0.0.1:5432/${name}` });
      expect(code).toBe(1);
      expect(stderr).toContain(`the platform database (postgres://postgres@127.0.0.1:5432/${name}) cannot be opened or migrated: database "${name}" does not exist`);
      expect(stderr).not.toMatch(/retry shortly|s3cret-pw|\n\s+at /);
    });

    it('a closed port', async () => {
      const port = await closedPort();
      const { code, stderr } = await runNode([...args], { ...ENV, DATABASE_URL: `postgres://postgres:s3cret-pw@127.0.0.1:${port}/msp` });
      expect(code).toBe(1);
      expect(stderr).toContain(`cannot be opened or migrated: connection refused at 127.0.0.1:${port}`);
      expect(stderr).not.toMatch(/retry shortly|s3cret-pw|\n\s+at /);
    });

    it('a user the server does not know', async () => {
      const { code, stderr } = await runNode([...args], { ...ENV, DATABASE_URL: 'postgres://nobody_here:s3cret-pw@127.0.0.1:5432/postgres' });
      expect(code).toBe(1);
      expect(stderr).toMatch(/cannot be opened or migrated: (role "nobody_here" does not exist|password authentication failed for user "nobody_here")/);
      expect(stderr).not.toMatch(/retry shortly|s3cret-pw|\n\s+at /);
    });
  });

  it('names every address tried when a host name resolves to several', () => {
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}:5999`), { code: 'ECONNREFUSED', address, port: 5999 });
    expect(connectionFailureCause(new AggregateError([refused('::1'), refused('127.0.0.1')], ''))).toBe(
      'connection refused at [::1]:5999 (nothing listens there); connection refused at 127.0.0.1:5999 (nothing listens there)',
    );
  });
});
