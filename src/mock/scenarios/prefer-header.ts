import { ValidationProblemError } from '../../common/problem/problem.error.js';

export const SCENARIO_CODES = [502, 503, 504] as const;
export type ScenarioCode = (typeof SCENARIO_CODES)[number];
export const MAX_DELAY_MS = 30_000;

/** The RFC 7240 preferences mock mode acts on; anything else in `Prefer` is ignored, as the RFC asks. */
export interface ScenarioPreferences {
  code?: ScenarioCode;
  delayMs?: number;
  stale?: true;
}

/**
 * Splits a Prefer field value into (lower-cased name, value) pairs: `1#( token [ "=" word ] *( ";" parameter ) )`,
 * where word is a token or a quoted-string. Parameters after `;` are not used by any preference here.
 */
function preferences(header: string): [string, string | undefined][] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const ch = header[i];
    if (quoted && ch === '\\') {
      current += header.slice(i, i + 2);
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  items.push(current);
  return items
    .map((item) => item.split(';')[0].trim())
    .filter(Boolean)
    .map((item) => {
      const eq = item.indexOf('=');
      if (eq < 0) return [item.toLowerCase(), undefined];
      const raw = item.slice(eq + 1).trim();
      const value = raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
      return [item.slice(0, eq).trim().toLowerCase(), value];
    });
}

/**
 * The scenario preferences of a request's `Prefer` header(s). A bad value of a known preference is a
 * 400 naming `Prefer`; of a repeated preference only the first counts (RFC 7240 §2).
 */
export function parsePrefer(header: string | string[] | undefined): ScenarioPreferences {
  if (header === undefined) return {};
  const result: ScenarioPreferences = {};
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [name, value] of preferences(Array.isArray(header) ? header.join(',') : header)) {
    if (seen.has(name)) continue;
    seen.add(name);
    if (name === 'code') {
      const code = value !== undefined && /^\d{3}$/.test(value) ? Number(value) : NaN;
      if ((SCENARIO_CODES as readonly number[]).includes(code)) result.code = code as ScenarioCode;
      else problems.push(`code=${value ?? ''} is not one of ${SCENARIO_CODES.join(', ')} (the vendor failures live mode answers)`);
    } else if (name === 'delay') {
      const ms = value !== undefined && /^\d{1,6}$/.test(value) ? Number(value) : NaN;
      if (ms <= MAX_DELAY_MS) result.delayMs = ms;
      else problems.push(`delay=${value ?? ''} must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS}`);
    } else if (name === 'stale') {
      if (value === undefined || value === '' || value === 'true') result.stale = true;
      else problems.push(`stale takes no value (got stale=${value})`);
    }
  }
  if (problems.length > 0) throw new ValidationProblemError(problems.map((message) => ({ field: 'Prefer', message })));
  return result;
}

/** The `Preference-Applied` value for what was honoured. */
export function preferenceApplied(applied: ScenarioPreferences): string {
  return [
    applied.code !== undefined ? `code=${applied.code}` : undefined,
    applied.delayMs !== undefined ? `delay=${applied.delayMs}` : undefined,
    applied.stale ? 'stale' : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}
