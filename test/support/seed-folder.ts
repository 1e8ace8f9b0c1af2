import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  SEED_CSAT_SURVEY,
  SEED_DEFENDER_ALERT,
  SEED_SENTINELONE_ALERT,
  SEED_TENANTS,
  SEED_TICKET,
  SEED_TIME_ENTRY,
} from '../../src/cli/generate/seed-examples.js';

export type FolderContents = Record<string, unknown>;

/** Exactly the seed document's examples: two tenants, TKT-001, TE-001, SRV-001, S1-001, DEF-001 (a fresh copy). */
export function seedContents(): FolderContents {
  return structuredClone({
    'tenants.json': SEED_TENANTS,
    'tickets/tenant_demo_cca.json': [SEED_TICKET],
    'time_entries/tenant_demo_cca.json': [SEED_TIME_ENTRY],
    'csat/tenant_demo_cca.json': [SEED_CSAT_SURVEY],
    'security_alerts/tenant_demo_cca.json': [SEED_SENTINELONE_ALERT, SEED_DEFENDER_ALERT],
  });
}

/** Writes each entry as JSON (a string is written as is, for malformed files). */
export async function writeFolder(contents: FolderContents, dir?: string): Promise<string> {
  const root = dir ?? (await mkdtemp(join(tmpdir(), 'mock-data-')));
  for (const [file, value] of Object.entries(contents)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  }
  return root;
}

