import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateTenantBody } from '../admin/admin-tenant.dto.js';
import { fieldProblems } from '../common/validation/validation-pipe.js';
import { nulProblems } from '../common/validation/nul-characters.js';
import { integrationUrlProblems } from '../platform/integration-urls.js';
import { VENDOR_DEFINITIONS, isVendor } from '../platform/integration-bodies.dto.js';
import type { TenantImportEntry } from '../platform/tenant-import.service.js';

const STRICT = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/**
 * Checks a tenants import file: `[{ id, name, is_active, llm_enabled, integrations?: { <vendor>: {...} } }]`,
 * with the admin API's rules (NUL characters, the URL guard of VENDOR_ALLOW_PRIVATE_NETWORKS included).
 * Returns every problem of every entry (with its index and id), or the entries when there is none.
 */
export function parseTenantImport(data: unknown, allowPrivateNetworks: boolean): { entries: TenantImportEntry[]; problems: string[] } {
  if (!Array.isArray(data)) return { entries: [], problems: ['the file must hold a JSON array of tenants'] };
  const problems: string[] = [];
  const entries: TenantImportEntry[] = [];
  const seen = new Map<string, number>();
  data.forEach((item, index) => {
    const where = `entry ${index}${typeof item?.id === 'string' ? ` (${item.id})` : ''}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(`${where}: must be a JSON object`);
      return;
    }
    const nul = nulProblems(item);
    if (nul.length > 0) {
      problems.push(...nul.map((p) => `${where}: ${p.field}: ${p.message}`));
      return;
    }
    const { integrations = {}, ...tenantFields } = item as Record<string, unknown>;
    const tenant = plainToInstance(CreateTenantBody, tenantFields);
    const own = fieldProblems(validateSync(tenant, STRICT)).map((p) => `${where}: ${p.field}: ${p.message}`);
    if (typeof tenant.id === 'string') {
      const first = seen.get(tenant.id);
      if (first !== undefined) own.push(`${where}: id: duplicate of entry ${first}`);
      else seen.set(tenant.id, index);
    }
    const bodies: TenantImportEntry['integrations'] = {};
    if (typeof integrations !== 'object' || integrations === null || Array.isArray(integrations)) {
      own.push(`${where}: integrations: must be an object keyed by vendor`);
    } else {
      for (const [vendor, body] of Object.entries(integrations)) {
        if (!isVendor(vendor)) {
          own.push(`${where}: integrations.${vendor}: unknown vendor (use connectwise, smileback, sentinelone or defender)`);
          continue;
        }
        const instance = plainToInstance(VENDOR_DEFINITIONS[vendor].body, body ?? {});
        const errors = typeof body === 'object' && body !== null ? validateSync(instance, STRICT) : [];
        if (typeof body !== 'object' || body === null) own.push(`${where}: integrations.${vendor}: must be an object`);
        const urls = errors.length === 0 ? integrationUrlProblems({ ...instance }, allowPrivateNetworks) : [];
        own.push(...[...fieldProblems(errors), ...urls].map((p) => `${where}: integrations.${vendor}.${p.field}: ${p.message}`));
        bodies[vendor] = { ...instance };
      }
    }
    problems.push(...own);
    if (own.length === 0) {
      entries.push({
        tenant: { id: tenant.id, name: tenant.name, is_active: tenant.is_active, llm_enabled: tenant.llm_enabled },
        integrations: bodies,
      });
    }
  });
  return { entries: problems.length ? [] : entries, problems };
}
