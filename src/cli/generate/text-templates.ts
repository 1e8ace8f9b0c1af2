// Filling the vocabulary's text templates, so a record's summary, notes and comments agree with each other.
import {
  APPS,
  FLOORS,
  ISPS,
  LAPTOP_MODELS,
  LEVEL_PRIORITIES,
  LICENSES,
  NETWORK_VENDORS,
  PRINTERS,
  SHARED_MAILBOXES,
  SHARES,
  SITES,
  TICKET_BOARDS,
  TICKET_PRIORITIES,
  TICKET_TEMPLATES,
  WEEKDAYS,
  WORK_NOTE_PREFIXES,
  WORK_TYPES,
  type TemplateSlot,
  type TicketTemplate,
  type WorkTypeKey,
} from './msp-vocabulary.js';
import type { Rng } from './seeded-random.js';
import type { ClientUser, TenantContext } from './tenant-world.js';

/** Notes for further time on the seed ticket (TKT-001: Outlook prompting for a password after an MFA change). */
export const SEED_TICKET_NOTES: readonly string[] = [
  'Cleared cached credentials in Credential Manager and rebuilt the Outlook profile.',
  'Checked the sign-in logs: Outlook was trying legacy auth since MFA was enforced; enabled modern auth.',
  'Followed up with the user: no more Outlook password prompts since the MFA fix.',
];

const SLOT_PATTERN = /\{(\w+)\}/g;

/** Slots filled by one pick from a fixed vocabulary list. */
const SLOT_POOLS: Partial<Record<TemplateSlot, readonly string[]>> = {
  app: APPS,
  floor: FLOORS,
  site: SITES,
  weekday: WEEKDAYS,
  isp: ISPS,
  share: SHARES,
  printer: PRINTERS,
  model: LAPTOP_MODELS,
  license: LICENSES,
  vendor: NETWORK_VENDORS,
  mailbox: SHARED_MAILBOXES,
};

/** Fills `{slot}`s; one record's slots share values, so `{user}` names the same person twice. */
export class SlotFiller {
  private readonly values = new Map<string, string>();
  private person: ClientUser | undefined;

  constructor(
    private readonly rng: Rng,
    private readonly ctx: TenantContext,
    private readonly tech?: string,
  ) {}

  fill(template: string): string {
    return template.replace(SLOT_PATTERN, (_, slot: string) => {
      let value = this.values.get(slot);
      if (value === undefined) {
        value = this.valueFor(slot as TemplateSlot);
        this.values.set(slot, value);
      }
      return value;
    });
  }

  /** The values filled so far; `{first}` comes with `{user}` (and the reverse), as they name one person. */
  filled(): SlotValues {
    const values: Record<string, string> = Object.fromEntries(this.values);
    if (this.person) {
      values.user = this.person.full;
      values.first = this.person.first;
    }
    return values;
  }

  private valueFor(slot: TemplateSlot): string {
    const { rng, ctx } = this;
    switch (slot) {
      case 'user':
        return this.clientUser().full;
      case 'first':
        return this.clientUser().first;
      case 'device':
        return rng.pick(ctx.workstations.length ? ctx.workstations : ctx.devices);
      case 'server':
        return rng.pick(ctx.servers.length ? ctx.servers : ctx.devices);
      case 'n':
        return String(rng.int(2, 12));
      case 'tech':
        return this.tech ?? 'the technician';
      default: {
        const pool = SLOT_POOLS[slot];
        if (!pool) throw new Error(`Unknown template slot {${slot as string}}`);
        return rng.pick(pool);
      }
    }
  }

  private clientUser(): ClientUser {
    this.person ??= this.rng.pick(this.ctx.clientUsers);
    return this.person;
  }
}

export type SlotValues = Readonly<Record<string, string>>;

/** Fills `{slot}`s with fixed values, e.g. a time entry's note with its ticket's values. */
export function fillWith(template: string, values: SlotValues): string {
  return template.replace(SLOT_PATTERN, (_, slot: string) => {
    const value = values[slot];
    if (value === undefined) throw new Error(`No value for {${slot}} in "${template}"`);
    return value;
  });
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Product names keep their capital after a work type prefix ("Onsite: Outlook …"). */
const PROPER_FIRST_WORDS = new Set(['Outlook', 'Teams', 'OneDrive', 'SentinelOne', 'SharePoint', 'Windows', 'Intune', 'Office']);

function afterPrefix(note: string): string {
  const firstWord = /^[A-Z][a-z]+\b/.exec(note)?.[0];
  return firstWord && !PROPER_FIRST_WORDS.has(firstWord) ? note.charAt(0).toLowerCase() + note.slice(1) : note;
}

/** A ticket's note templates by work type: "Onsite: replaced …" for onsite work, the plain note for remote work. */
export type WorkNotes = Readonly<Record<WorkTypeKey, readonly string[]>>;

function workNotes(notes: readonly string[]): WorkNotes {
  const byKind = {} as Record<WorkTypeKey, readonly string[]>;
  for (const kind of Object.keys(WORK_TYPES) as WorkTypeKey[]) {
    const prefix = WORK_NOTE_PREFIXES[kind];
    byKind[kind] = prefix ? notes.map((n) => prefix + afterPrefix(n)) : notes;
  }
  return byKind;
}

export const TEMPLATE_WORK_NOTES: ReadonlyMap<TicketTemplate, WorkNotes> = new Map(TICKET_TEMPLATES.map((t) => [t, workNotes(t.notes)]));
export const SEED_WORK_NOTES = workNotes(SEED_TICKET_NOTES);

export const TEMPLATES_BY_BOARD_AND_PRIORITY: ReadonlyMap<string, readonly TicketTemplate[]> = (() => {
  const map = new Map<string, TicketTemplate[]>();
  for (const board of TICKET_BOARDS) {
    for (const priority of TICKET_PRIORITIES) {
      const fitting = TICKET_TEMPLATES.filter((t) => t.board === board && LEVEL_PRIORITIES[t.level].includes(priority));
      map.set(`${board}/${priority}`, fitting.length ? fitting : TICKET_TEMPLATES.filter((t) => t.board === board));
    }
  }
  return map;
})();
