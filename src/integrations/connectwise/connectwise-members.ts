import { isEmail } from 'class-validator';
import { VendorPayload } from '../http/vendor-errors.js';
import type { CwMember } from './connectwise.client.js';

// CW [{id:176, officeEmail:"jdoe@msp.example", primaryEmail:"j@home.example"}] -> Map {176 => "jdoe@msp.example"}
export function memberEmailMap(members: CwMember[]): Map<number, string> {
  const emails = new Map<number, string>();
  for (const member of members) {
    if (typeof member.id !== 'number') continue;
    const email = [member.officeEmail, member.primaryEmail].find((e): e is string => typeof e === 'string' && isEmail(e));
    if (email) emails.set(member.id, email);
  }
  return emails;
}

/** The email of the member at `path` of a ConnectWise item (ticket owner, time entry member); an item naming a member without one is refused. */
export function memberEmail(p: VendorPayload, path: string, emails: Map<number, string>): string {
  return emails.get(p.integerId(path)) ?? p.fail(path, 'names a member without an email address');
}
