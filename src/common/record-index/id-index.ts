import { MAP_ENTRY_BYTES, Row } from './constraint.js';

/** Record positions by id fields (joined with NUL): the first of duplicates, and the last where they differ. */
export class IdIndex {
  private readonly first = new Map<string, number>();
  /** Ids held by more than one record: the last one's position (`first` keeps the first). */
  private readonly last = new Map<string, number>();

  constructor(
    rows: readonly Row[],
    private readonly idFields: readonly string[],
  ) {
    for (let i = rows.length - 1; i >= 0; i--) {
      const key = this.keyOf(rows[i]);
      const later = this.first.get(key);
      if (later !== undefined && !this.last.has(key)) this.last.set(key, later);
      this.first.set(key, i);
    }
  }

  firstOf(ids: readonly string[]): number | undefined {
    return this.first.get(ids.join('\u0000'));
  }

  lastOf(ids: readonly string[]): number {
    const key = ids.join('\u0000');
    return this.last.get(key) ?? this.first.get(key) ?? -1;
  }

  get bytes(): number {
    return this.first.size * MAP_ENTRY_BYTES;
  }

  private keyOf(row: Row): string {
    return this.idFields.map((f) => String(row[f])).join('\u0000');
  }
}
