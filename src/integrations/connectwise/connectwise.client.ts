import { VendorDataError } from '../http/vendor-errors.js';
import { VendorHttp, vendorUrl } from '../http/vendor-http.js';

export const CONNECTWISE_VENDOR = 'connectwise';
export const CONNECTWISE_ACCEPT = 'application/vnd.connectwise.com+json; version=2025.1';
const MAX_PAGE_SIZE = 1000;
const MAX_PAGES = 10_000;
// About 10 URL characters per id (digits and an encoded comma): 100 ids keep a request well under ConnectWise's ~2000.
const IDS_PER_REQUEST = 100;

export interface ConnectWiseIntegration {
  base_url: string;
  company_id: string;
  public_key: string;
  private_key: string;
  client_id: string;
  time_zone?: string;
}

export interface ConnectWiseClientOptions {
  pageSize?: number;
}

export interface CwReference {
  id?: number;
  name?: string;
  identifier?: string;
  [field: string]: unknown;
}

export interface CwTicket {
  id?: number;
  summary?: string;
  board?: CwReference | null;
  status?: CwReference | null;
  priority?: CwReference | null;
  company?: CwReference | null;
  owner?: CwReference | null;
  resources?: string | null;
  slaStatus?: string | null;
  budgetHours?: number | null;
  closedFlag?: boolean;
  closedDate?: string | null;
  _info?: { dateEntered?: string; lastUpdated?: string; [field: string]: unknown } | null;
  [field: string]: unknown;
}

export interface CwTimeEntry {
  id?: number;
  chargeToId?: number | null;
  chargeToType?: string;
  member?: CwReference | null;
  workType?: CwReference | null;
  billableOption?: string;
  actualHours?: number | null;
  notes?: string | null;
  timeStart?: string;
  timeEnd?: string | null;
  _info?: { lastUpdated?: string; [field: string]: unknown } | null;
  [field: string]: unknown;
}

export interface CwMember {
  id?: number;
  identifier?: string;
  firstName?: string | null;
  lastName?: string | null;
  officeEmail?: string | null;
  primaryEmail?: string | null;
  inactiveFlag?: boolean;
  [field: string]: unknown;
}

export interface CwServiceNote {
  id?: number;
  ticketId?: number;
  text?: string | null;
  detailDescriptionFlag?: boolean;
  [field: string]: unknown;
}

export class ConnectWiseClient {
  private readonly pageSize: number;

  constructor(
    private readonly config: ConnectWiseIntegration,
    private readonly http: VendorHttp,
    private readonly breakerKey: string,
    options: ConnectWiseClientOptions = {},
  ) {
    this.pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  }

  /** The IANA zone whose calendar decides a time entry's day (`UTC` unless the integration says otherwise). */
  get timeZone(): string {
    return this.config.time_zone ?? 'UTC';
  }

  /** Every open ticket, however old, and every ticket updated since `since` (closed ones included). */
  listTickets(since: Date): Promise<CwTicket[]> {
    return this.listAll<CwTicket>('/service/tickets', {
      conditions: `closedFlag=false or lastUpdated>=[${cwDateTime(since)}]`,
      orderBy: 'id asc',
    });
  }

  /** The tickets with these ids (those that exist), a batch of ids per request to keep URLs short. */
  listTicketsById(ids: number[]): Promise<CwTicket[]> {
    return this.inBatches<CwTicket>('/service/tickets', ids, (batch) => `id in (${batch})`);
  }

  /**
   * The ids of the closed tickets updated since `since` but opened before it: those whose older time
   * entries (updated before `since`) the updated-since walk of `/time/entries` does not return. A
   * ticket opened since cannot have such entries (an entry is charged to a ticket that exists).
   */
  async listClosedTicketIdsOpenedBefore(since: Date): Promise<number[]> {
    const at = cwDateTime(since);
    const rows = await this.listAll<CwTicket>('/service/tickets', {
      conditions: `(closedFlag=true or status/name="Closed") and lastUpdated>=[${at}] and _info/dateEntered<[${at}]`,
      fields: 'id',
      orderBy: 'id asc',
    });
    return rows.map((row) => row.id).filter((id): id is number => typeof id === 'number');
  }

  listTimeEntries(since: Date): Promise<CwTimeEntry[]> {
    return this.listAll<CwTimeEntry>('/time/entries', { conditions: `lastUpdated>=[${cwDateTime(since)}]`, orderBy: 'id asc' });
  }

  /** Every time entry charged to these tickets (service or project), any date, a batch of ids per request. */
  listTimeEntriesForTickets(ticketIds: number[]): Promise<CwTimeEntry[]> {
    return this.inBatches<CwTimeEntry>(
      '/time/entries',
      ticketIds,
      (batch) => `(chargeToType="ServiceTicket" OR chargeToType="ProjectTicket") AND chargeToId in (${batch})`,
    );
  }

  private async inBatches<T>(path: string, ids: number[], conditions: (batch: string) => string): Promise<T[]> {
    const items: T[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) {
      const batch = ids.slice(i, i + IDS_PER_REQUEST).join(',');
      items.push(...(await this.listAll<T>(path, { conditions: conditions(batch), orderBy: 'id asc' })));
    }
    return items;
  }

  listMembers(): Promise<CwMember[]> {
    return this.listAll<CwMember>('/system/members', {
      fields: 'id,identifier,officeEmail,primaryEmail,inactiveFlag',
      orderBy: 'id asc',
    });
  }

  /** The members with their names: what `mock:record` needs to find them in free text (the server never asks). */
  listMemberNames(): Promise<CwMember[]> {
    return this.listAll<CwMember>('/system/members', {
      fields: 'id,identifier,firstName,lastName,officeEmail,primaryEmail',
      orderBy: 'id asc',
    });
  }

  async ticketNotes(ticketId: number | string): Promise<CwServiceNote[]> {
    const url = vendorUrl(this.config.base_url, `/service/tickets/${encodeURIComponent(String(ticketId))}/notes`, {
      conditions: 'detailDescriptionFlag=true',
      orderBy: 'id asc',
      pageSize: 1,
    });
    return asArray<CwServiceNote>((await this.get(url)).body);
  }

  async ping(): Promise<void> {
    await this.get(vendorUrl(this.config.base_url, '/service/tickets', { fields: 'id', pageSize: 1 }));
  }

  private async listAll<T>(path: string, query: Record<string, string>): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      // Every parameter is re-sent on every page: some clients lost `conditions` after page 1.
      const url = vendorUrl(this.config.base_url, path, { ...query, page, pageSize: this.pageSize });
      const response = await this.get(url);
      const rows = asArray<T>(response.body);
      items.push(...rows);
      if (rows.length === 0 || !hasNextLink(response.headers.get('link'))) return items;
    }
    throw new VendorDataError(CONNECTWISE_VENDOR, undefined, 'Link', `still announces a next page after ${MAX_PAGES} pages`);
  }

  private get(url: string) {
    return this.http.request<unknown>({
      vendor: CONNECTWISE_VENDOR,
      breakerKey: this.breakerKey,
      url,
      headers: {
        Authorization: `Basic ${Buffer.from(`${this.config.company_id}+${this.config.public_key}:${this.config.private_key}`).toString('base64')}`,
        clientId: this.config.client_id,
        Accept: CONNECTWISE_ACCEPT,
      },
    });
  }
}

/** ConnectWise wants `[YYYY-MM-DDTHH:mm:ssZ]` in conditions; flooring to the second keeps `>=` inclusive. */
function cwDateTime(since: Date): string {
  return since.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function hasNextLink(link: string | null): boolean {
  return !!link && /<[^>]*>\s*;\s*rel="?next"?/i.test(link);
}

function asArray<T>(body: unknown): T[] {
  if (!Array.isArray(body)) throw new VendorDataError(CONNECTWISE_VENDOR, undefined, 'body', 'is not a JSON array');
  return body as T[];
}
