import type { FieldProblem } from '../common/problem/problem.error.js';
import { unsafeVendorUrl } from '../integrations/http/address-guard.js';

/** The settings that name where the vendor is. */
export const URL_FIELDS = ['base_url', 'login_url'] as const;

/**
 * What is wrong with an integration's URLs before anything is stored, for the admin API and the CLI
 * import alike: credentials in the URL (`user:password@`, kept and listed in clear otherwise), plain
 * http, or a private IP literal (the last two allowed with VENDOR_ALLOW_PRIVATE_NETWORKS).
 */
export function integrationUrlProblems(settings: Record<string, unknown>, allowPrivateNetworks: boolean): FieldProblem[] {
  return URL_FIELDS.flatMap((field) => {
    const value = settings[field];
    if (typeof value !== 'string') return [];
    if (userinfoOf(value) !== undefined) {
      return [{ field, message: 'must not contain a user name or password (user:password@): credentials go in their own fields' }];
    }
    const reason = unsafeVendorUrl(value, allowPrivateNetworks);
    return reason ? [{ field, message: reason }] : [];
  });
}

/** The `user:password@` part of a URL, if it has one. */
function userinfoOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.username || url.password ? `${url.username}:${url.password}` : undefined;
  } catch {
    return undefined;
  }
}

/** `https://***@host/…` for a URL stored with userinfo before it was refused; anything else unchanged. */
export function withoutUserinfo(value: unknown): unknown {
  if (typeof value !== 'string' || userinfoOf(value) === undefined) return value;
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}
