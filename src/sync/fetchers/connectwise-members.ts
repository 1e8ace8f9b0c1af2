import { ConnectWiseClient, CwMember, CwQuery, CwRow, cwDateTime } from '../../integrations/connectwise/connectwise.client.js';
import { memberEmailMap } from '../../integrations/connectwise/connectwise-members.js';
import type { VendorWalk } from '../../integrations/http/vendor-walk.js';
import type { ChangesRequest, StreamFetcher, StreamName, StreamPage } from '../stream.js';
import { decodeResume, encodeResume, lowerBound, vendorInstant } from './stream-resume.js';

/** What the ticket and time-entry records need of a member: its id and the addresses the mapper picks an email from. */
export const MEMBER_FIELDS = 'id,identifier,officeEmail,primaryEmail,inactiveFlag';

/** `lastUpdated>=[from] and lastUpdated<[until]` of a request (either side optional), or undefined for everything. */
export function updatedWindow(request: Pick<ChangesRequest, 'since' | 'from' | 'until'>): string | undefined {
  const lower = lowerBound(request);
  const parts = [
    lower === undefined ? undefined : `lastUpdated>=[${cwDateTime(new Date(lower))}]`,
    request.until === undefined ? undefined : `lastUpdated<[${cwDateTime(new Date(request.until))}]`,
  ].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? undefined : parts.join(' and ');
}

/** The members of a run, fetched once (one call for up to 1000) and only when a page has records that name them. */
export class RunMembers {
  private members: Promise<Map<number, CwMember>> | undefined;

  constructor(
    private readonly client: ConnectWiseClient,
    private readonly walk: VendorWalk<CwRow>,
  ) {}

  async byId(id: unknown): Promise<CwMember | null> {
    this.members ??= this.load();
    return typeof id === 'number' ? ((await this.members).get(id) ?? null) : null;
  }

  private async load(): Promise<Map<number, CwMember>> {
    const byId = new Map<number, CwMember>();
    for await (const page of this.client.forwardPages<CwMember>(this.walk, '/system/members', { fields: MEMBER_FIELDS })) {
      for (const member of page.rows) byId.set(member.id as number, member);
    }
    return byId;
  }
}

/** One ConnectWise list walked forward-only as a stream's pages: `resume` is the last id handed on. */
export async function* forwardStream<T extends CwRow>(
  client: ConnectWiseClient,
  walk: VendorWalk<CwRow>,
  stream: StreamName,
  path: string,
  query: CwQuery,
  resume: string | null,
  toChanges: (rows: T[]) => Promise<StreamPage['changes']>,
  batch = Number.POSITIVE_INFINITY,
): AsyncGenerator<StreamPage> {
  const point = decodeResume(stream, resume);
  const after = point && /^\d{1,15}$/.test(point.at) ? Number(point.at) : undefined;
  for await (const page of client.forwardPages<T>(walk, path, query, after)) {
    if (page.rows.length === 0) yield { changes: [], resume: null };
    // A page is handed on in batches when each record costs calls of its own (ticket descriptions), so a run that dies loses little.
    for (let i = 0; i < page.rows.length; i += batch) {
      const rows = page.rows.slice(i, i + batch);
      const end = page.last && i + batch >= page.rows.length;
      yield { changes: await toChanges(rows), resume: end ? null : encodeResume(stream, 0, String(rows[rows.length - 1].id)) };
    }
  }
}

/** Every id of `path` matching `conditions` (`fields=id`, forward-only, one walk). */
export async function forwardIds(client: ConnectWiseClient, path: string, conditions: string | undefined, stop: AbortSignal): Promise<string[]> {
  const ids: string[] = [];
  for await (const rows of client.streamWalk(stop, (walk) => client.forwardPages(walk, path, { conditions, fields: 'id' }))) {
    for (const row of rows.rows) ids.push(String(row.id));
  }
  return ids;
}

/** A member as the replica keeps it: tickets and time entries carry their member's copy in their raw payload. */
export interface MemberRecord {
  tenant_id: string;
  member_id: string;
  identifier: string | null;
  email: string | null;
  inactive: boolean;
}

/**
 * ConnectWise members (`/system/members`, `lastUpdated>=`; all of them on a first sync, about one page).
 * They feed no domain: the ticket and time-entry fetchers put the member a record names into that
 * record's raw payload, so their `map` needs no other stream.
 */
export class ConnectWiseMembersFetcher implements StreamFetcher<MemberRecord> {
  readonly stream = 'connectwise.members' as const;
  readonly vendor = 'connectwise';
  readonly domain = null;

  constructor(private readonly client: ConnectWiseClient) {}

  changes(request: ChangesRequest): AsyncIterable<StreamPage> {
    // Not bounded by `from`: a first sync lists every member (a name in free text may be a colleague not edited for years).
    const query = { conditions: updatedWindow({ since: request.since, until: request.until }), fields: `${MEMBER_FIELDS},firstName,lastName,_info/lastUpdated` };
    return this.client.streamWalk(request.stop, (walk) =>
      forwardStream<CwMember>(this.client, walk, this.stream, '/system/members', query, request.resume, async (rows) =>
        rows.map((member) => ({ vendorId: String(member.id), raw: member, vendorUpdatedAt: vendorInstant((member._info as { lastUpdated?: unknown } | undefined)?.lastUpdated) })),
      ),
    );
  }

  ids(_scope: { open: boolean; from?: string }, stop: AbortSignal): Promise<string[]> {
    return forwardIds(this.client, '/system/members', undefined, stop);
  }

  map(raw: unknown, tenantId: string): MemberRecord {
    const member = raw as CwMember;
    return {
      tenant_id: tenantId,
      member_id: String(member.id),
      identifier: typeof member.identifier === 'string' ? member.identifier : null,
      // The address the ticket and time-entry mappers would pick (office, else primary, a valid email).
      email: memberEmailMap([member]).get(member.id as number) ?? null,
      inactive: member.inactiveFlag === true,
    };
  }
}
