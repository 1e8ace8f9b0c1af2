import { VendorDataError, VendorHttpError } from '../http/vendor-errors.js';
import type { VendorHttp } from '../http/vendor-http.js';
import { vendorUrl } from '../http/vendor-url.js';
import { DEFAULT_WALK_LIMITS, VendorWalk, WalkItemShape, WalkLimits, WalkRequest, walkAll, walkPages, walkTarget } from '../http/vendor-walk.js';

export const CONNECTWISE_VENDOR = 'connectwise';
export const CONNECTWISE_ACCEPT = 'application/vnd.connectwise.com+json; version=2025.1';
const MAX_PAGE_SIZE = 1000;

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
  walk?: WalkLimits;
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

// CW {id:184233, _info:{lastUpdated:"2026-01-14T17:00:00Z"}}: rows without `_info` (members, notes) keep the later page's copy.
const CW_ROWS: WalkItemShape<{ id?: unknown; _info?: { lastUpdated?: unknown } | null }> = {
  id: (row) => row.id,
  updated: (row) => row._info?.lastUpdated,
};

export class ConnectWiseClient {
  private readonly pageSize: number;
  private readonly walkLimits: WalkLimits;

  constructor(
    private readonly config: ConnectWiseIntegration,
    private readonly http: VendorHttp,
    private readonly breakerKey: string,
    options: ConnectWiseClientOptions = {},
  ) {
    this.pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    this.walkLimits = options.walk ?? DEFAULT_WALK_LIMITS;
  }

  /** The IANA zone whose calendar decides a time entry's day (`UTC` unless the integration says otherwise). */
  get timeZone(): string {
    return this.config.time_zone ?? 'UTC';
  }

  /** The members with their names: what `mock:record` needs to find them in free text (the server never asks). */
  listMemberNames(): Promise<CwMember[]> {
    return this.listAll<CwMember>('/system/members', {
      fields: 'id,identifier,firstName,lastName,officeEmail,primaryEmail',
      orderBy: 'id asc',
    });
  }

  async ping(): Promise<void> {
    await this.get(vendorUrl(this.config.base_url, '/service/tickets', { fields: 'id', pageSize: 1 }));
  }

  /** One walk (budgets, deadline, `stop`) for a stream's run: every call of `body` is counted against it. */
  streamWalk<P>(stop: AbortSignal | undefined, body: (walk: VendorWalk<CwRow>) => AsyncIterable<P>): AsyncGenerator<P> {
    return walkPages<CwRow, P>(CONNECTWISE_VENDOR, this.walkLimits, CW_ROWS, stop, body);
  }

  /**
   * Forward-only (keyset) pages of `path` with ids above `afterId`, in id order (an empty last page
   * too): `pageId` acts as `id > pageId`, so rows added during a walk never shift a page and any
   * row's id is a resume point.
   */
  async *forwardPages<T extends CwRow>(walk: VendorWalk<CwRow>, path: string, query: CwQuery, afterId?: number): AsyncGenerator<{ rows: T[]; last: boolean }> {
    const target = this.target(path);
    let after = afterId;
    for (;;) {
      walk.checkStopped();
      const url = vendorUrl(this.config.base_url, path, { ...query, pageSize: this.pageSize, pageId: after });
      const rows = walk.take(asArray((await this.get(url, walk.request, FORWARD_ONLY)).body), target) as T[];
      let last = after ?? -1;
      for (const row of rows) {
        // Forward-only answers are in id order above pageId; anything else would loop or skip rows.
        if (typeof row.id !== 'number' || row.id <= last) {
          throw new VendorDataError(CONNECTWISE_VENDOR, undefined, PAGE_ID, `page after ${after ?? 'the start'} of ${target} is not in ascending id order above it`);
        }
        last = row.id;
      }
      // The Link header is there even on the last page: a short page is the end.
      const end = rows.length < this.pageSize;
      yield { rows, last: end };
      if (end) return;
      walk.follow(PAGE_ID, `${path} ${last}`);
      after = last;
    }
  }

  /** The ticket's description note (the first with `detailDescriptionFlag`), null when it has none or is gone (404). */
  async descriptionNote(walk: VendorWalk<CwRow>, ticketId: number): Promise<CwServiceNote | null> {
    const path = `/service/tickets/${encodeURIComponent(String(ticketId))}/notes`;
    const url = vendorUrl(this.config.base_url, path, { conditions: 'detailDescriptionFlag=true', orderBy: 'id asc', pageSize: 1 });
    try {
      const notes = walk.take(asArray((await this.get(url, walk.request)).body), this.target(path)) as CwServiceNote[];
      return notes.find((note) => note.detailDescriptionFlag === true) ?? null;
    } catch (error) {
      // Deleted in ConnectWise since the list was fetched: the reconcile removes it.
      if (error instanceof VendorHttpError && error.status === 404) return null;
      throw error;
    }
  }

  private listAll<T extends CwRow>(path: string, query: Record<string, string>, stop?: AbortSignal): Promise<T[]> {
    return walkAll<T>(CONNECTWISE_VENDOR, this.walkLimits, CW_ROWS, stop, (walk) => this.pages(walk, path, query));
  }

  private async pages<T extends CwRow>(walk: VendorWalk<T>, path: string, query: Record<string, string>): Promise<void> {
    const target = this.target(path);
    for (let page = 1; ; page++) {
      walk.checkStopped();
      // Every parameter is re-sent on every page: some clients lost `conditions` after page 1.
      const url = vendorUrl(this.config.base_url, path, { ...query, page, pageSize: this.pageSize });
      const response = await this.get(url, walk.request);
      const rows = asArray(response.body);
      walk.add(rows, target);
      const next = nextLink(response.headers.get('link'));
      if (rows.length === 0 || next === undefined) return;
      // We number the pages ourselves; a next link that does not move forward means the vendor's paging is broken.
      walk.follow(NEXT_LINK, next);
      const announced = pageOf(next, this.config.base_url);
      if (Number.isInteger(announced) && announced <= page) {
        throw new VendorDataError(CONNECTWISE_VENDOR, undefined, NEXT_LINK, `points back at page ${announced} from page ${page} of ${target}`);
      }
    }
  }

  private target(path: string): string {
    return walkTarget(vendorUrl(this.config.base_url, path));
  }

  private get(url: string, walk?: WalkRequest, extra: Record<string, string> = {}) {
    return this.http.request<unknown>({
      vendor: CONNECTWISE_VENDOR,
      breakerKey: this.breakerKey,
      url,
      ...walk,
      headers: {
        ...extra,
        Authorization: `Basic ${Buffer.from(`${this.config.company_id}+${this.config.public_key}:${this.config.private_key}`).toString('base64')}`,
        clientId: this.config.client_id,
        Accept: CONNECTWISE_ACCEPT,
      },
    });
  }
}

/** ConnectWise wants `[YYYY-MM-DDTHH:mm:ssZ]` in conditions; flooring to the second keeps `>=` inclusive. */
export function cwDateTime(since: Date): string {
  return since.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export type CwRow = { id?: unknown; _info?: { lastUpdated?: unknown } | null };

/** `conditions` and `fields` of a forward-only walk (`orderBy` is not allowed there: the order is by id). */
export interface CwQuery {
  conditions?: string;
  fields?: string;
}

const NEXT_LINK = 'Link rel="next"';
const PAGE_ID = 'pageId';
const FORWARD_ONLY = { 'pagination-type': 'forward-only' };

/** The target of the `rel="next"` entry of a Link header, if there is one. */
function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,\s*(?=<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel="?next"?\s*(;|$)/i.test(match[2])) return match[1];
  }
  return undefined;
}

function pageOf(link: string, base: string): number {
  try {
    return Number(new URL(link, base).searchParams.get('page') ?? Number.NaN);
  } catch {
    throw new VendorDataError(CONNECTWISE_VENDOR, undefined, NEXT_LINK, 'is not a URL');
  }
}

function asArray(body: unknown): unknown[] {
  if (!Array.isArray(body)) throw new VendorDataError(CONNECTWISE_VENDOR, undefined, 'body', 'is not a JSON array');
  return body;
}
