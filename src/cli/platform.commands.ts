import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ConfigType } from '@nestjs/config';
import { Command, InvalidArgumentError } from 'commander';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mockConfig } from '../config/mock.config.js';
import { TENANT_ID_PATTERN } from '../common/validation/formats.js';
import { AppLogger } from '../common/app-logger.js';
import { ApiKeyScope, ApiKeysService } from '../platform/api-keys.service.js';
import { IntegrationsService } from '../platform/integrations.service.js';
import { PlatformTenantsService } from '../platform/platform-tenants.service.js';
import { TenantImportService } from '../platform/tenant-import.service.js';
import { TenantsService } from '../tenants/tenants.service.js';
import { SOURCE_MODES, type SourceModes } from '../config/source-modes.js';
import { liveConfig } from '../config/live.config.js';
import { CliModule } from './cli.module.js';
import { parseTenantImport } from './tenant-import.js';

/** A failure to report in one line and exit 1 (bad input, unknown id): not a crash. */
class CliError extends Error {}

async function withApp<T>(run: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(), {
    logger: new AppLogger({ logLevels: ['error'] }),
    abortOnError: false,
  });
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

/** In mock mode, where the tenants served come from; undefined in live or mixed mode, where the store's are served. */
function mockTenantsFile(app: INestApplicationContext): string | undefined {
  if (app.get<SourceModes>(SOURCE_MODES).tenants !== 'mock') return undefined;
  return join(app.get<ConfigType<typeof mockConfig>>(mockConfig.KEY).dataPath, 'tenants.json');
}

function tenantId(value: string, previous: string[] = []): string[] {
  if (!TENANT_ID_PATTERN.test(value)) throw new InvalidArgumentError(`'${value}' is not a tenant id (^[a-z0-9][a-z0-9_-]{0,63}$)`);
  return [...previous, value];
}

const program = new Command('cli')
  .description('Platform administration: API keys, tenants, secrets (uses DATABASE_URL and the env file like the server)')
  .showHelpAfterError();
program.configureOutput({ outputError: (text, write) => write(text) });
program.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

const keys = program.command('keys').description('API keys');

keys
  .command('create')
  .description('Mint a key; it is printed once and stored only as a hash')
  .requiredOption('--name <name>', 'what the key is for')
  .option('--tenant <id>', 'a tenant the key may read (repeat for several)', tenantId)
  .option('--admin', 'an admin key (every tenant and the admin API)')
  .action(async (opts: { name: string; tenant?: string[]; admin?: boolean }) => {
    if (!!opts.admin === !!opts.tenant) throw new CliError('give either --admin or at least one --tenant');
    await withApp(async (app) => {
      if (opts.tenant) {
        const known = await app.get(TenantsService).ids();
        const unknown = opts.tenant.filter((t) => !known.has(t));
        if (unknown.length) {
          const mockFile = mockTenantsFile(app);
          const stored = mockFile ? new Set((await app.get(PlatformTenantsService).list()).map((t) => t.id)) : new Set<string>();
          const onlyStored = unknown.filter((t) => stored.has(t));
          throw new CliError(
            `unknown tenant(s): ${unknown.join(', ')}` +
              (mockFile ? ` (MOCK_MODE=true serves the tenants of ${mockFile})` : '') +
              (onlyStored.length ? `; ${onlyStored.join(', ')} ${onlyStored.length > 1 ? 'are' : 'is'} in the platform store, served with MOCK_MODE=false` : ''),
          );
        }
      }
      const scope: ApiKeyScope = opts.admin ? 'admin' : { tenants: opts.tenant as string[] };
      const { id, key } = await app.get(ApiKeysService).create(opts.name, scope);
      process.stdout.write(`id:  ${id}\nkey: ${key}\n`);
      process.stderr.write('Store the key now: it is not shown again.\n');
    });
  });

keys
  .command('list')
  .description('List keys (never the key material)')
  .option('--json', 'as JSON')
  .action(async (opts: { json?: boolean }) => {
    await withApp(async (app) => {
      const list = await app.get(ApiKeysService).list();
      if (opts.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      for (const k of list) {
        const scope = k.scope === 'admin' ? 'admin' : `tenants: ${k.scope.tenants.join(', ')}`;
        const state = k.revoked_at ? `revoked ${k.revoked_at}` : `last used ${k.last_used_at ?? 'never'}`;
        process.stdout.write(`${k.id}  ${k.name}  [${scope}]  created ${k.created_at}  ${state}\n`);
      }
      if (list.length === 0) process.stdout.write('no keys\n');
    });
  });

keys
  .command('revoke')
  .description('Revoke a key by id, effective at once')
  .argument('<id>', 'the key id (see keys list)')
  .action(async (id: string) => {
    await withApp(async (app) => {
      await app.get(ApiKeysService).revoke(id).catch((error: Error) => {
        throw new CliError(error.message);
      });
      process.stdout.write(`revoked ${id}\n`);
    });
  });

program
  .command('tenants')
  .description('Tenants in the platform store (the live-mode registry)')
  .command('import')
  .description('Register tenants and their integrations from a JSON file in one transaction: nothing is written if any entry is bad')
  .argument('<file>', '[{ "id", "name", "is_active", "llm_enabled", "integrations": { "<vendor>": { ... } } }]')
  .action(async (file: string) => {
    let data: unknown;
    try {
      data = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new CliError(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(error as Error).message})`}`);
    }
    await withApp(async (app) => {
      const { entries, problems } = parseTenantImport(data, app.get<ConfigType<typeof liveConfig>>(liveConfig.KEY).http.allowPrivateNetworks);
      if (problems.length) throw new CliError(`${file}: ${problems.length} problem(s), nothing written:\n${problems.map((p) => `  ${p}`).join('\n')}`);
      const { created, updated } = await app.get(TenantImportService).import(entries);
      const integrations = entries.reduce((n, e) => n + Object.keys(e.integrations).length, 0);
      process.stdout.write(
        `imported ${entries.length} tenant(s) (created: ${created.join(', ') || 'none'}; updated: ${updated.join(', ') || 'none'}) and ${integrations} integration(s)\n`,
      );
      const mockFile = mockTenantsFile(app);
      if (mockFile) {
        process.stdout.write(
          `They are stored, but MOCK_MODE=true serves the tenants of ${mockFile} instead: run the server and this CLI with MOCK_MODE=false to serve them and mint their keys.\n`,
        );
      }
    });
  });

program
  .command('secrets')
  .description('Vendor secrets at rest')
  .command('rotate')
  .description('Re-encrypt every secret stored under an older key (ENCRYPTION_KEYS_PREVIOUS) with ENCRYPTION_KEY')
  .action(async () => {
    await withApp(async (app) => {
      const count = await app.get(IntegrationsService).reencryptSecrets();
      process.stdout.write(`re-encrypted ${count} secret(s) under the current key\n`);
    });
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  // Messages only: a secret is never part of one, and a stack helps nobody running a command.
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
