import type { PageMeta } from '../query/list-query.dto.js';
import type { Page } from '../query/query-engine.js';
import { STRING_HEADER_BYTES } from './constraint.js';

/**
 * Each record's JSON, made the first time a reply needs it and kept with the index. Kept as strings:
 * pages assembled as Buffers held their memory until a full collection (docs/performance.md).
 */
export class RecordJson {
  private readonly json: (string | undefined)[];
  bytes = 0;

  constructor(readonly records: readonly unknown[]) {
    this.json = new Array<string | undefined>(records.length);
  }

  at(i: number): string {
    let json = this.json[i];
    if (json === undefined) {
      json = this.json[i] = JSON.stringify(this.records[i]);
      this.bytes += STRING_HEADER_BYTES + json.length;
    }
    return json;
  }
}

/**
 * A page answered by a record index: a plain `{ data, meta }` to every reader, which the reply
 * serializer turns into text from its records' kept JSON (`toJson`) instead of stringifying them again.
 */
export class RecordPage<T> implements Page<T> {
  readonly #json: RecordJson;
  readonly #positions: ArrayLike<number>;

  constructor(
    public data: T[],
    public meta: PageMeta,
    json: RecordJson,
    positions: ArrayLike<number>,
  ) {
    this.#json = json;
    this.#positions = positions;
  }

  /** Exactly `JSON.stringify(this)`; from the kept JSON unless the page was changed after the query. */
  toJson(): string {
    const positions = this.#positions;
    const records = this.#json.records;
    const keys = Object.keys(this);
    const untouched =
      keys.length === 2 && keys[0] === 'data' && keys[1] === 'meta' && Array.isArray(this.data) && this.data.length === positions.length;
    if (!untouched) return JSON.stringify(this);
    const json = new Array<string>(positions.length);
    for (let k = 0; k < json.length; k++) {
      if (this.data[k] !== records[positions[k]]) return JSON.stringify(this);
      json[k] = this.#json.at(positions[k]);
    }
    return `{"data":[${json.join(',')}],"meta":${JSON.stringify(this.meta)}}`;
  }
}

/** The reply serializer: a record page from its kept JSON, anything else stringified. */
export function serializeReply(payload: unknown): string {
  return payload instanceof RecordPage ? payload.toJson() : JSON.stringify(payload);
}
