import fc from 'fast-check';
import { FieldKind, sortValues } from '../../src/common/query/field-kinds.js';
import { filtersOf } from '../../src/common/query/filters.js';
import { RecordQueryDefinition, runQuery } from '../../src/common/query/query-engine.js';
import { indexOf } from '../../src/common/record-index/index-cache.js';
import { RecordIndex } from '../../src/common/record-index/record-index.js';
import { RecordPage, serializeReply } from '../../src/common/record-index/record-page.js';
import { CSAT_QUERY } from '../../src/csat/list-csat-query.dto.js';
import { SECURITY_ALERT_QUERY } from '../../src/security-alerts/list-security-alerts-query.dto.js';
import { TICKET_QUERY } from '../../src/tickets/list-tickets-query.dto.js';
import { TIME_ENTRY_QUERY } from '../../src/time-entries/list-time-entries-query.dto.js';

type Row = Record<string, unknown>;
type Def = RecordQueryDefinition<Row>;

// Small pools, so that ties, duplicates, nulls and shared filter values are frequent.
const STRINGS = ['a', 'B', 'b', 'Zed', 'é', 'a,b', 'back\\slash', '\uE000x', '\u{1F600}x', 'New', 'Waiting', 'tech1@msp.com', ''];
const TEXTS = [
  'Outlook keeps prompting',
  'PRINTER jam on floor 2',
  'VPN drops, printer ok',
  'İstanbul office',
  'Straße und STRASSE',
  '\u{1F600} emoji in text',
  'outlook OUTLOOK outlook',
  '',
];
const INSTANTS = [
  '2026-01-20T00:00:00Z',
  '2026-01-20T09:00:00Z',
  '2026-01-20T09:00:00.500Z',
  '2026-01-20T23:59:59.999Z',
  '2026-01-21T00:00:00Z',
  '2026-01-20T11:00:00+02:00',
  '2026-02-01T12:00:00Z',
];
const DAYS = ['2026-01-19', '2026-01-20', '2026-01-21', '2026-02-01'];
const NUMBERS = [0, 1, 1.5, 2, 5, 10, -0];

const OPTIONAL_FIELDS = new Set(['sla_status', 'estimated_hours', 'closed_at_remote', 'resolved_at']);
const TEXT_FIELDS = new Set(['summary', 'description', 'comment', 'title', 'notes']);

function valueOf(field: string, kind: FieldKind): fc.Arbitrary<unknown> {
  const nullable = <V>(a: fc.Arbitrary<V>) => fc.oneof({ weight: 5, arbitrary: a }, { weight: 1, arbitrary: fc.constant(null) });
  switch (kind) {
    case 'instant':
      return nullable(fc.constantFrom(...INSTANTS));
    case 'day':
      return nullable(fc.constantFrom(...DAYS));
    case 'number':
      return nullable(fc.constantFrom(...NUMBERS));
    case 'boolean':
      return nullable(fc.boolean());
    default:
      return nullable(fc.constantFrom(...(TEXT_FIELDS.has(field) ? TEXTS : STRINGS)));
  }
}

function recordOf(def: Def): fc.Arbitrary<Row> {
  const fields = Object.entries(def.fields as Record<string, FieldKind>);
  return fc.record(
    Object.fromEntries(
      fields.map(([field, kind]) => [field, def.idFields.includes(field) ? fc.constantFrom('T-1', 'T-10', 'T-2', 'T-9', 'a', 'B') : valueOf(field, kind)]),
    ),
    { requiredKeys: fields.map(([f]) => f).filter((f) => !OPTIONAL_FIELDS.has(f)) },
  );
}

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/,/g, '\\,');

function queryOf(def: Def): fc.Arbitrary<Row> {
  const kinds = def.fields as Record<string, FieldKind>;
  const params = filtersOf(def.queryClass).map((spec) => {
    let value: fc.Arbitrary<unknown>;
    if (spec.kind === 'match') {
      value =
        spec.valueKind === 'boolean'
          ? fc.constantFrom('true', 'false', 'true,false', 'false,false')
          : fc.array(fc.constantFrom(...STRINGS.filter(Boolean), 'T-1', 'T-2', 'nope'), { minLength: 1, maxLength: 3 }).map((vs) => vs.map(escape).join(','));
    } else if (spec.kind === 'range') {
      value =
        spec.valueKind === 'instant'
          ? fc.constantFrom(...INSTANTS, ...DAYS, '2026-01-20T10:00:00+01:00')
          : spec.valueKind === 'number'
            ? fc.integer({ min: -1, max: 11 })
            : fc.constantFrom(...DAYS, '2026-01-20x', '2025');
    } else {
      value = fc
        .tuple(fc.constantFrom(...TEXTS.filter(Boolean)), fc.nat(), fc.integer({ min: 1, max: 6 }), fc.boolean())
        .map(([text, at, length, upper]) => {
          const start = at % text.length;
          const part = text.slice(start, start + length) || text;
          return upper ? part.toUpperCase() : part;
        });
    }
    return [spec.param, fc.option(value, { freq: 2, nil: undefined })] as const;
  });
  return fc.record({
    ...Object.fromEntries(params),
    sort: fc.option(fc.constantFrom(...sortValues(kinds)), { nil: undefined }),
    page: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
    page_size: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
  });
}

const DOMAINS: [string, Def][] = [
  ['tickets', TICKET_QUERY as unknown as Def],
  ['time entries', TIME_ENTRY_QUERY as unknown as Def],
  ['csat surveys', CSAT_QUERY as unknown as Def],
  ['security alerts', SECURITY_ALERT_QUERY as unknown as Def],
];

describe('record indexes', () => {
  describe.each(DOMAINS)('%s', (_name, def) => {
    it('answer every query with the same page and total as the linear engine', () => {
      fc.assert(
        fc.property(fc.array(recordOf(def), { maxLength: 60 }), fc.array(queryOf(def), { minLength: 1, maxLength: 8 }), (records, queries) => {
          const index = new RecordIndex(records, def);
          const position = new Map(records.map((r, i) => [r as object, i]));
          for (const query of queries) {
            const expected = runQuery(records, query, def);
            const actual = index.query(query);
            expect(actual.meta).toEqual(expected.meta);
            expect(actual.data.map((r) => position.get(r as object))).toEqual(expected.data.map((r) => position.get(r as object)));
          }
        }),
        { numRuns: 250 },
      );
    });

    it('serialise a page to exactly what JSON.stringify gives', () => {
      fc.assert(
        fc.property(fc.array(recordOf(def), { maxLength: 30 }), queryOf(def), (records, query) => {
          const page = new RecordIndex(records, def).query(query);
          expect(page).toBeInstanceOf(RecordPage);
          expect(serializeReply(page)).toBe(JSON.stringify(page));
          expect(JSON.stringify(page)).toBe(JSON.stringify({ data: page.data, meta: page.meta }));
        }),
        { numRuns: 100 },
      );
    });
  });

  it('answers q through the trigram index (large record sets) exactly as the scan does', () => {
    const def = TICKET_QUERY as unknown as Def;
    // q alone (or with a sort and a page), so the trigram candidates drive every answer.
    const paging = fc.record({
      sort: fc.option(fc.constantFrom(...sortValues(def.fields as Record<string, FieldKind>)), { nil: undefined }),
      page: fc.integer({ min: 1, max: 3 }),
      page_size: fc.constantFrom(5, 1000),
    });
    const withQ = paging.chain((query) =>
      fc.constantFrom(...TEXTS.filter(Boolean)).chain((text) =>
        fc.tuple(fc.nat({ max: text.length - 1 }), fc.integer({ min: 1, max: 8 })).map(([at, length]): Row => ({ ...query, q: text.slice(at, at + length).toUpperCase() })),
      ),
    );
    fc.assert(
      fc.property(fc.array(recordOf(def), { minLength: 4100, maxLength: 4300 }), fc.array(withQ, { minLength: 10, maxLength: 20 }), (records, queries) => {
        const index = new RecordIndex(records, def);
        const position = new Map(records.map((r, i) => [r as object, i]));
        for (const query of queries) {
          const expected = runQuery(records, query, def);
          const actual = index.query(query);
          expect(actual.meta).toEqual(expected.meta);
          expect(actual.data.map((r) => position.get(r as object))).toEqual(expected.data.map((r) => position.get(r as object)));
        }
      }),
      { numRuns: 4, endOnFailure: true },
    );
  });

  it('finds a record by its id fields, the first of duplicates as a linear find would', () => {
    const alerts = [
      { source: 'defender', alert_id: 'A-1', n: 1 },
      { source: 'sentinelone', alert_id: 'A-1', n: 2 },
      { source: 'defender', alert_id: 'A-1', n: 3 },
    ];
    const index = new RecordIndex(alerts, SECURITY_ALERT_QUERY as unknown as Def);
    expect(index.byId('sentinelone', 'A-1')).toBe(alerts[1]);
    expect(index.byId('defender', 'A-1')).toBe(alerts[0]);
    expect(index.byId('defender', 'A-2')).toBeUndefined();
  });

  it('is built once per record array and definition', () => {
    const records = [{ cw_ticket_id: 'T-1' }];
    expect(indexOf(records, TICKET_QUERY as unknown as Def)).toBe(indexOf(records, TICKET_QUERY as unknown as Def));
    expect(indexOf([...records], TICKET_QUERY as unknown as Def)).not.toBe(indexOf(records, TICKET_QUERY as unknown as Def));
  });

  it('serialises a page changed after the query, and any other reply body, as JSON.stringify does', () => {
    const records = [{ cw_ticket_id: 'T-1', summary: 'kept' }];
    const query = () => new RecordIndex(records, TICKET_QUERY as unknown as Def).query({});
    const copy = { ...query() };
    expect(copy).not.toBeInstanceOf(RecordPage);
    expect(serializeReply(copy)).toBe('{"data":[{"cw_ticket_id":"T-1","summary":"kept"}],"meta":{"total":1,"page":1,"page_size":50}}');
    const linked = Object.assign(query(), { links: {} });
    expect(serializeReply(linked)).toBe(JSON.stringify(linked));
    expect(serializeReply(linked)).toContain('"links":{}');
    expect(serializeReply({ data: [], meta: {} })).toBe('{"data":[],"meta":{}}');
    const edited = query();
    edited.data[0] = { cw_ticket_id: 'T-1', summary: 'changed after the query' };
    expect(serializeReply(edited)).toContain('changed after the query');
    const dropped = query();
    dropped.data.pop();
    expect(serializeReply(dropped)).toBe('{"data":[],"meta":{"total":1,"page":1,"page_size":50}}');
    const remeta = query();
    remeta.meta.total = 7;
    expect(serializeReply(remeta)).toContain('"total":7');
  });
});
