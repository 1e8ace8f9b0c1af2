import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import type { CsatSurvey } from '../../csat/csat-survey.record.js';
import type { SecurityAlert } from '../../security-alerts/security-alert.record.js';
import type { Tenant } from '../../tenants/tenant.record.js';
import type { Ticket } from '../../tickets/ticket.record.js';
import type { TimeEntry } from '../../time-entries/time-entry.record.js';

export interface RecordedData {
  tenant: Tenant;
  tickets?: Ticket[];
  time_entries?: TimeEntry[];
  csat?: CsatSurvey[];
  security_alerts?: SecurityAlert[];
}

/** Someone the vendor names (a ConnectWise member): first and last name, login, addresses. */
export interface KnownPerson {
  names: string[];
  identifier?: string;
  emails: string[];
}

type Kind = 'email' | 'domain' | 'person' | 'company' | 'device';

/** What the mapper writes when Defender names no device: a placeholder, not a host. */
const NOT_A_DEVICE = new Set(['unknown']);

/** Legal suffixes: "Acme Corporation" is also written "Acme". */
const COMPANY_SUFFIX = /[\s,]+(inc|incorporated|corp|corporation|co|company|llc|ltd|limited|plc|gmbh|ag|sa|bv|pty|group|holdings|enterprises|industries|solutions|services|systems|technologies|partners)\.?$/i;

/** Mailbox names that are roles, not people: not treated as person names in free text. */
const ROLE_WORDS = new Set([
  'admin', 'administrator', 'billing', 'contact', 'desk', 'help', 'helpdesk', 'hello', 'info', 'it', 'mail', 'noreply',
  'no', 'reply', 'office', 'sales', 'service', 'servicedesk', 'support', 'team', 'tech', 'user', 'alerts', 'security',
]);

// One scan of free text: the first alternative that matches at a position wins.
const SCAN = new RegExp(
  [
    String.raw`(?<url>\b(?:(?:https?|ftp|file|smb):\/\/|www\.)[^\s<>"'\])]*[^\s<>"'\]).,;:!?])`,
    // A host name followed by a path, without a scheme: portal.example.com/login.
    String.raw`(?<hostpath>(?<![\p{L}\p{N}._%+-])(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}(?::\d{1,5})?\/(?:[^\s<>"'\])]*[^\s<>"'\]).,;:!?])?)`,
    String.raw`(?<unc>\\\\[^\s\\]+(?:\\[^\s]*)?)`,
    String.raw`(?<email>[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,})`,
    String.raw`(?<ipv4>(?<![\p{L}\p{N}.])(?:\d{1,3}\.){3}\d{1,3}(?![\p{L}\p{N}]|\.\d))`,
    String.raw`(?<ipv6>(?<![\p{L}\p{N}:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%[\p{L}\p{N}]+)?(?![\p{L}\p{N}:]))`,
    // A date is kept as it is: without this, "2026-01-20 10:00" would read as the phone number "2026-01-20 10".
    String.raw`(?<date>(?<![\p{L}\p{N}])(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4})(?!\p{N}|[-./]\d))`,
    // +CC, an optional (area) and groups of any length ("+44 (0)20 7946 0958", "+4915112345678"), or
    // without + at least two groups or an (area): "07700 900123", "(555) 013-4567". isPhone decides.
    String.raw`(?<phone>(?<![\p{L}\p{N}+])(?:\+\d+(?:[ .-]?\(\d{1,4}\)[ .-]?\d+)?(?:[ .-]\d+){0,5}|(?:\(\d{1,4}\)[ .-]?)?\d+(?:[ .-]\d+){1,5}|\(\d{1,4}\)[ .-]?\d+)(?![\p{L}\p{N}]))`,
    String.raw`(?<word>[\p{L}\p{N}](?:[\p{L}\p{N}_.-]*[\p{L}\p{N}])?)`,
  ].join('|'),
  'gu',
);

const DATE_LIKE = /^(\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4})$/;

function isPhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '').length;
  if (digits < 7 || digits > 15 || DATE_LIKE.test(candidate)) return false;
  if (candidate.startsWith('+')) return true;
  // A bare run of digits is an id or a number, not a phone number, unless it starts with +;
  // dots between groups of which one is longer than 4 digits are a version (10.0.19045.3803).
  if (!/[ .()-]/.test(candidate)) return false;
  return !(/^[\d.]+$/.test(candidate) && candidate.split('.').some((group) => group.length > 4));
}

const normalize = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().replace(/\.$/, '');

/**
 * Pseudonyms from a keyed hash (HMAC-SHA-256 of the seed): the same original gives the same pseudonym
 * in every file, different originals different ones (a collision is re-keyed), and without the seed a
 * pseudonym cannot be traced back. Originals are compared case-insensitively.
 */
export class Redactor {
  private readonly pseudonyms = new Map<string, string>();
  private readonly digests = new Set<string>();
  /** Normalised original text → pseudonym, for free text; `capitalOnly`: a first or last name, matched only capitalised ("Will", not "will"). */
  private readonly inText = new Map<string, { pseudonym: string; capitalOnly: boolean }>();
  private maxWords = 1;

  constructor(private readonly seed: string) {}

  /** Learns every name in the data first, so that free text in any file can be scrubbed of all of them. */
  redact(data: RecordedData, people: readonly KnownPerson[] = []): RecordedData {
    this.company(data.tenant.name);
    for (const person of people) this.knownPerson(person);
    for (const t of data.tickets ?? []) {
      this.company(t.company);
      if (t.owner) this.email(t.owner);
    }
    for (const e of data.time_entries ?? []) this.email(e.member);
    for (const a of data.security_alerts ?? []) this.device(a.device);
    // Addresses only seen in free text are masked, but the names in them are people too.
    const texts = [
      ...(data.tickets ?? []).flatMap((t) => [t.summary, t.description]),
      ...(data.time_entries ?? []).map((e) => e.notes),
      ...(data.csat ?? []).map((c) => c.comment),
      ...(data.security_alerts ?? []).map((a) => a.title),
    ];
    for (const value of texts) {
      if (typeof value !== 'string') continue;
      for (const m of value.matchAll(SCAN)) if (m.groups?.email !== undefined) this.learnPersonNames(m[0].slice(0, m[0].lastIndexOf('@')));
    }

    const text = (value: string) => this.text(value);
    const optionalText = <T extends string | null | undefined>(value: T): T => (typeof value === 'string' ? (this.text(value) as T) : value);
    return {
      tenant: { ...data.tenant, name: this.company(data.tenant.name) },
      ...(data.tickets && {
        tickets: data.tickets.map((t) => ({
          ...t,
          summary: text(t.summary),
          description: text(t.description),
          company: this.company(t.company),
          owner: t.owner ? this.email(t.owner) : t.owner,
        })),
      }),
      ...(data.time_entries && {
        time_entries: data.time_entries.map((e) => ({ ...e, member: this.email(e.member), notes: optionalText(e.notes) })),
      }),
      ...(data.csat && { csat: data.csat.map((s) => ({ ...s, comment: optionalText(s.comment) })) }),
      ...(data.security_alerts && {
        security_alerts: data.security_alerts.map((a) => ({ ...a, title: text(a.title), device: this.device(a.device) })),
      }),
    };
  }

  /** Free text: known names and addresses become their pseudonyms; any other email, URL, IP address or phone number is masked. */
  text(value: string): string {
    const matches = [...value.matchAll(SCAN)];
    let out = '';
    let last = 0;
    for (let i = 0; i < matches.length; i++) {
      const m = matches[i];
      const start = m.index;
      const groups = m.groups ?? {};
      let end = start + m[0].length;
      let replacement: string | undefined;
      if (groups.date !== undefined) continue;
      if (groups.url !== undefined || groups.hostpath !== undefined || groups.unc !== undefined) replacement = '[url]';
      else if (groups.email !== undefined) replacement = this.inText.get(normalize(m[0]))?.pseudonym ?? '[email]';
      else if (groups.ipv4 !== undefined) replacement = isIP(m[0]) === 4 ? '[ip]' : undefined;
      else if (groups.ipv6 !== undefined) replacement = isIP(m[0].replace(/%.*$/, '')) === 6 ? '[ip]' : undefined;
      else if (groups.phone !== undefined && isPhone(m[0])) replacement = '[phone]';
      if (replacement === undefined) {
        // The longest run of following words that is a known name ("Acme Corporation", "John Doe").
        for (let j = Math.min(matches.length - 1, i + this.maxWords - 1); j >= i; j--) {
          const candidateEnd = matches[j].index + matches[j][0].length;
          const known = this.inText.get(normalize(value.slice(start, candidateEnd)));
          if (known !== undefined && (!known.capitalOnly || /^\p{Lu}/u.test(value[start]))) {
            replacement = known.pseudonym;
            end = candidateEnd;
            i = j;
            break;
          }
        }
      }
      // A host name built on a known name ("LT-JANE-01", "INITRODE-FS01"): the whole name is a device.
      if (replacement === undefined && groups.word !== undefined && this.namesSomeone(m[0])) replacement = this.device(m[0]);
      if (replacement === undefined) continue;
      out += value.slice(last, start) + replacement;
      last = end;
    }
    return out + value.slice(last);
  }

  /** Whether a part of a word joined by `-`, `_` or `.` is a known single-word name (matched as in free text). */
  private namesSomeone(word: string): boolean {
    const parts = word.split(/[-_.]+/);
    if (parts.length < 2) return false;
    return parts.some((part) => {
      const known = this.inText.get(normalize(part));
      return known !== undefined && (!known.capitalOnly || /^\p{Lu}/u.test(part));
    });
  }

  email(original: string): string {
    return this.remember('email', original, () => {
      const at = original.lastIndexOf('@');
      if (at < 0) return this.person(original);
      const local = original.slice(0, at);
      const pseudonym = `user-${this.hash('email', original)}@${this.domain(original.slice(at + 1))}`;
      this.learnPersonNames(local);
      return pseudonym;
    });
  }

  company(original: string): string {
    return this.remember('company', original, () => {
      const suffix = COMPANY_SUFFIX.exec(original);
      const core = suffix ? original.slice(0, suffix.index) : original;
      if (!suffix || core.trim().length < 3) return `Company ${this.hash('company', original).toUpperCase()}`;
      const corePseudonym = this.remember('company', core, () => `Company ${this.hash('company', core).toUpperCase()}`);
      return `${corePseudonym}${original.slice(suffix.index)}`;
    });
  }

  device(original: string): string {
    if (NOT_A_DEVICE.has(original.toLowerCase())) return original;
    return this.remember('device', original, () => {
      const dot = original.indexOf('.');
      if (dot <= 0 || isIP(original)) return `HOST-${this.hash('device', original).toUpperCase()}`;
      const host = original.slice(0, dot);
      const hostPseudonym = this.remember('device', host, () => `host-${this.hash('device', host)}`);
      return `${hostPseudonym}.${this.domain(original.slice(dot + 1))}`;
    });
  }

  private person(original: string, capitalOnly = false): string {
    return this.remember('person', original, () => `Person ${this.hash('person', original).toUpperCase()}`, capitalOnly);
  }

  private domain(original: string): string {
    return this.remember('domain', original, () => `org-${this.hash('domain', original)}.example`);
  }

  /** "John Doe", "John" and "Doe" (capitalised), the login `jdoe` and every address of the person. */
  private knownPerson({ names, identifier, emails }: KnownPerson): void {
    for (const email of emails) this.email(email);
    const words = names.flatMap((n) => n.trim().split(/\s+/)).filter((w) => /^\p{L}[\p{L}'-]*$/u.test(w));
    if (words.length >= 2) this.person(words.join(' '));
    for (const word of words) if (word.length >= 3) this.person(word, true);
    if (identifier && identifier.length >= 3 && !ROLE_WORDS.has(identifier.toLowerCase())) this.person(identifier);
  }

  /** `john.doe` in an address also stands for "John Doe", "John" and "Doe" in free text; role mailboxes stand for no one. */
  private learnPersonNames(local: string): void {
    const parts = local.split(/[._-]+/).filter((p) => /^\p{L}{2,}$/u.test(p));
    const named = parts.filter((p) => !ROLE_WORDS.has(p.toLowerCase()));
    if (named.length === 0) return;
    if (!ROLE_WORDS.has(local.toLowerCase()) && /^\p{L}[\p{L}._-]*\p{L}$/u.test(local)) this.person(local);
    if (named.length >= 2) this.person(named.join(' '));
    for (const part of named) if (part.length >= 3 && part !== local) this.person(part, true);
  }

  private remember(kind: Kind, original: string, make: () => string, capitalOnly = false): string {
    const key = `${kind}\0${normalize(original)}`;
    const known = this.pseudonyms.get(key);
    if (known !== undefined) {
      const text = this.inText.get(normalize(original));
      if (!capitalOnly && text?.capitalOnly) text.capitalOnly = false;
      return known;
    }
    const pseudonym = make();
    this.pseudonyms.set(key, pseudonym);
    const text = this.inText.get(normalize(original));
    // A name already known in another role (a whole mailbox name, a company) keeps matching in any case.
    this.inText.set(normalize(original), { pseudonym, capitalOnly: capitalOnly && (text?.capitalOnly ?? true) });
    this.maxWords = Math.max(this.maxWords, Math.min(8, original.trim().split(/\s+/).length));
    return pseudonym;
  }

  /** 8 hex digits of HMAC(seed, kind + original), re-keyed until unused by another original. */
  private hash(kind: Kind, original: string): string {
    for (let attempt = 0; ; attempt++) {
      const input = `${kind}\0${normalize(original)}${attempt ? `\0${attempt}` : ''}`;
      const digest = createHmac('sha256', this.seed).update(input).digest('hex').slice(0, 8);
      if (!this.digests.has(digest)) {
        this.digests.add(digest);
        return digest;
      }
    }
  }
}
