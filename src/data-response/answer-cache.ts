import { LRUCache } from 'lru-cache';
import { serializeReply } from '../common/record-index/record-page.js';

/**
 * An answer serialized once: its bytes when kept (a string when too large to keep), and a page's `meta`
 * (for `Link` and `X-Total-Count`, which follow the URL as sent).
 */
export class CachedAnswer {
  constructor(
    readonly bytes: Buffer | string,
    readonly page: unknown,
  ) {}
}

/** Bytes of the key and the answer, plus what a cache entry and a Buffer cost beyond them. */
const ENTRY_OVERHEAD_BYTES = 200;

/**
 * The answers of data GETs by (question, data version): the same text as the ETag's, so an answer is
 * reused exactly when its tag is, and a new data version never meets an old answer. Bounded by bytes
 * (lru-cache, as the replica reads' cache); an answer over a sixteenth of the budget is not kept.
 */
export class AnswerCache {
  private readonly answers: LRUCache<string, CachedAnswer>;

  constructor(budgetBytes: number) {
    this.answers = new LRUCache({ maxSize: budgetBytes, maxEntrySize: budgetBytes / 16, sizeCalculation: (answer, key) => costOf(key, answer) });
  }

  get size(): number {
    return this.answers.size;
  }

  get usedBytes(): number {
    return this.answers.calculatedSize;
  }

  get(key: string): CachedAnswer | undefined {
    return this.answers.get(key);
  }

  /** The body as the reply serializer writes it, kept when it fits; what to send either way. */
  keep(key: string, body: unknown): CachedAnswer {
    const text = serializeReply(body);
    // UTF-8 needs at most 3 bytes per UTF-16 unit: bounded before encoding anything.
    if (3 * text.length + 2 * key.length + ENTRY_OVERHEAD_BYTES > this.answers.maxEntrySize) return new CachedAnswer(text, pageMetaOf(body));
    const answer = new CachedAnswer(Buffer.from(text, 'utf8'), pageMetaOf(body));
    this.answers.set(key, answer);
    return answer;
  }
}

function costOf(key: string, answer: CachedAnswer): number {
  return answer.bytes.length + 2 * key.length + ENTRY_OVERHEAD_BYTES;
}

/** What `setPageHeaders` reads of a page (its `meta`), without holding its records. */
function pageMetaOf(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('meta' in body)) return undefined;
  return { data: [], meta: body.meta };
}
