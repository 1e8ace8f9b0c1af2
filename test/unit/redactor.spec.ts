import { Redactor, type RecordedData } from '../../src/cli/record/redactor.js';
import { SEED_CSAT_SURVEY, SEED_SENTINELONE_ALERT, SEED_TENANTS, SEED_TICKET, SEED_TIME_ENTRY } from '../../src/cli/generate/seed-examples.js';

/** A data set naming one company, two people (by their addresses) and one device. */
function aDataSet(over: { summary?: string; notes?: string; comment?: string } = {}): RecordedData {
  return structuredClone({
    tenant: SEED_TENANTS[0],
    tickets: [{ ...SEED_TICKET, company: 'Acme Corporation', owner: 'will.turner@msp.example', summary: over.summary ?? SEED_TICKET.summary }],
    time_entries: [{ ...SEED_TIME_ENTRY, member: 'jdoe@msp.example', notes: over.notes ?? SEED_TIME_ENTRY.notes }],
    csat: [{ ...SEED_CSAT_SURVEY, comment: over.comment ?? SEED_CSAT_SURVEY.comment }],
    security_alerts: [{ ...SEED_SENTINELONE_ALERT, device: 'LAPTOP-001' }],
  });
}

const redactText = (text: string, seed = 'seed') => new Redactor(seed).redact(aDataSet({ notes: text })).time_entries?.[0].notes;

describe('redaction of free text', () => {
  it.each([
    ['mail bob@example.org today', 'mail [email] today'],
    ['see https://portal.example.com/a?b=1. Then', 'see [url]. Then'],
    ['open www.example.com/x, then', 'open [url], then'],
    ['share \\\\fs01\\users\\bob missing', 'share [url] missing'],
    ['ping 192.168.10.4 failed', 'ping [ip] failed'],
    ['v6 fe80::1ff:fe23:4567:890a down', 'v6 [ip] down'],
    ['call +44 20 7946 0958 now', 'call [phone] now'],
    ['call (555) 013-4567 now', 'call [phone] now'],
    ['call 555-013-4567 or +4915112345678', 'call [phone] or [phone]'],
    // Groups longer than 4 digits, a country code before an (area), a (0) trunk prefix.
    ['mobile 07700 900123.', 'mobile [phone].'],
    ['call +1 (555) 222-3333 now', 'call [phone] now'],
    ['call +49 151 12345678 or +44 2079460958', 'call [phone] or [phone]'],
    ['call +44 (0)20 7946 0958 now', 'call [phone] now'],
    // A URL without a scheme: a host name and a path.
    ['log in at portal.globex.example/login?x=1 now', 'log in at [url] now'],
    ['see contoso.sharepoint.com/sites/IT.', 'see [url].'],
  ])('masks %j', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it.each([
    'on 2026-01-20 at 10:00:00 for 1.5 hours',
    'ticket 184231 and 184232',
    'build 10.0.19045 installed',
    'error 0x80070005 in KB5034441',
    'since 2026-01-20 10:00, or 20.01.2026 09:30',
    'Windows 10 build 10.0.19045.3803 and 19045.3803',
    'read v1.2/docs and/or N/A',
  ])('keeps %j', (text) => {
    expect(redactText(text)).toBe(text);
  });

  it('replaces known names, companies, devices and addresses by the pseudonyms their fields get, longest first', () => {
    const data = aDataSet({
      summary: 'Acme Corporation: LAPTOP-001 of Will Turner',
      notes: 'Told Will and jdoe (jdoe@msp.example) that acme and laptop-001 are fixed; they will call',
    });
    const out = new Redactor('seed').redact(data);
    const ticket = out.tickets?.[0];
    const entry = out.time_entries?.[0];
    const device = out.security_alerts?.[0].device;
    expect(ticket?.summary).toMatch(new RegExp(`^${ticket?.company}: ${device} of Person \\w+$`));
    const acme = String(ticket?.company).replace(/ Corporation$/, '');
    expect(entry?.notes).toMatch(new RegExp(`^Told Person \\w+ and Person \\w+ \\(${entry?.member}\\) that ${acme} and ${device} are fixed; they will call$`));
  });

  it('takes a host name built on a known name for a device, and gives it one pseudonym', () => {
    const data = aDataSet({
      summary: 'LT-WILL-01 and ACME-FS01 offline',
      notes: 'Reimaged LT-WILL-01; ACME-FS01 next. TKT-001 and Anti-Malware stay, as does build 22H2-x64',
    });
    const out = new Redactor('seed').redact(data);
    const summary = out.tickets?.[0].summary ?? '';
    expect(summary).toMatch(/^HOST-[0-9A-F]{8} and HOST-[0-9A-F]{8} offline$/);
    const [willsLaptop, acmeServer] = summary.match(/HOST-[0-9A-F]{8}/g) ?? [];
    expect(willsLaptop).not.toBe(acmeServer);
    expect(out.time_entries?.[0].notes).toBe(`Reimaged ${willsLaptop}; ${acmeServer} next. TKT-001 and Anti-Malware stay, as does build 22H2-x64`);
  });

  it('replaces the names and logins of the people the vendor names, which no record field holds', () => {
    const data = aDataSet({ notes: 'Milton Waddams (mwaddams, mw7@home.example) gave it to Milton; milton stays a word, as do MW and Jo' });
    const people = [{ names: ['Milton', 'Waddams'], identifier: 'mwaddams', emails: ['mw7@home.example'] }, { names: ['Jo', 'Li'], emails: [] }];
    const redactor = new Redactor('seed');
    const notes = redactor.redact(data, people).time_entries?.[0].notes ?? '';
    expect(notes).toMatch(/^Person (\w+) \(Person (\w+), user-\w+@org-\w+\.example\) gave it to Person (\w+); milton stays a word, as do MW and Jo$/);
    const [, full, login, first] = /^Person (\w+) \(Person (\w+), .*to Person (\w+);/.exec(notes) ?? [];
    expect(new Set([full, login, first]).size).toBe(3);
    expect(notes).not.toMatch(/Waddams|mwaddams|mw7@/i);
  });

  it('keeps pseudonyms per seed: the same seed gives the same ones, another seed others', () => {
    const a = new Redactor('one').redact(aDataSet());
    const b = new Redactor('one').redact(aDataSet());
    const c = new Redactor('two').redact(aDataSet());
    expect(b).toEqual(a);
    expect(c.tickets?.[0].company).not.toBe(a.tickets?.[0].company);
    expect(c.tickets?.[0].owner).not.toBe(a.tickets?.[0].owner);
    expect(c.tickets?.[0].cw_ticket_id).toBe(a.tickets?.[0].cw_ticket_id);
  });

  it('gives distinct originals distinct pseudonyms, case-insensitively the same one', () => {
    const redactor = new Redactor('seed');
    const emails = Array.from({ length: 2000 }, (_, i) => redactor.email(`user${i}@msp.example`));
    expect(new Set(emails).size).toBe(2000);
    expect(redactor.email('USER7@MSP.example')).toBe(emails[7]);
    expect(redactor.company('Globex')).not.toBe(redactor.company('Initech'));
    expect(redactor.device('unknown')).toBe('unknown');
  });
});
