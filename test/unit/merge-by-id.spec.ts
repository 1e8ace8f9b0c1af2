import { mergeById } from '../../src/live/merge-by-id.js';

interface Item {
  id?: string | number;
  at?: string;
  v: string;
}

const merge = (a: Item[], b: Item[]) => mergeById(a, b, (i) => i.id, (i) => i.at);

describe('mergeById (two overlapping vendor walks as one list)', () => {
  it('keeps each id once: the first walk in order, then what only the second holds', () => {
    const merged = merge(
      [{ id: 3, v: 'a3' }, { id: 1, v: 'a1' }],
      [{ id: 1, v: 'b1' }, { id: 7, v: 'b7' }, { id: 2, v: 'b2' }, { id: 7, v: 'b7 again' }],
    );
    expect(merged.map((i) => i.v)).toEqual(['a3', 'a1', 'b7', 'b2']);
  });

  it('takes the copy updated last where both hold an item (it changed between the walks)', () => {
    const merged = merge(
      [{ id: 'x', at: '2026-01-05T10:00:00.000001Z', v: 'older' }, { id: 'y', at: '2026-01-05T10:00:00Z', v: 'first' }],
      [{ id: 'x', at: '2026-01-05T10:00:01Z', v: 'newer' }, { id: 'y', at: '2026-01-05T10:00:00.000Z', v: 'tie' }],
    );
    expect(merged.map((i) => i.v)).toEqual(['newer', 'first']);
  });

  it('keeps the first copy when an update time does not parse, and ids of either type match by value', () => {
    expect(merge([{ id: 5, at: 'garbage', v: 'a' }], [{ id: '5', at: 'also bad', v: 'b' }]).map((i) => i.v)).toEqual(['a']);
    expect(merge([{ id: 5, v: 'a' }], [{ id: '5', at: '2026-01-01T00:00:00Z', v: 'b' }]).map((i) => i.v)).toEqual(['b']);
  });

  it('keeps items without an id from both walks (their mapping reports them)', () => {
    expect(merge([{ v: 'a' }], [{ v: 'b' }]).map((i) => i.v)).toEqual(['a', 'b']);
  });
});
