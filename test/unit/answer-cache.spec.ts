import { AnswerCache, CachedAnswer } from '../../src/data-response/answer-cache.js';

const page = (n: number) => ({ data: Array.from({ length: n }, (_, i) => ({ id: i })), meta: { total: n, page: 1, page_size: 25 } });

describe('AnswerCache (kept answers of data GETs)', () => {
  it('keeps the serialized body and a page meta without its records', () => {
    const cache = new AnswerCache(1 << 20);
    const kept = cache.keep('q\nv1', page(3));
    expect(kept).toBeInstanceOf(CachedAnswer);
    expect(Buffer.isBuffer(kept.bytes)).toBe(true);
    expect(kept.bytes.toString()).toBe(JSON.stringify(page(3)));
    expect(kept.page).toEqual({ data: [], meta: { total: 3, page: 1, page_size: 25 } });
    expect(cache.get('q\nv1')).toBe(kept);
    expect(cache.get('q\nv2')).toBeUndefined();
  });

  it('stays within its byte budget, dropping the least recently used first', () => {
    const cache = new AnswerCache(64 * 1024);
    const body = { text: 'x'.repeat(1000) };
    for (let i = 0; i < 200; i++) {
      cache.keep(`k${i}`, body);
      if (i === 10) cache.get('k0'); // used again: outlives k1…
    }
    expect(cache.usedBytes).toBeLessThanOrEqual(64 * 1024);
    expect(cache.size).toBeGreaterThan(10);
    expect(cache.get('k199')).toBeDefined();
    expect(cache.get('k1')).toBeUndefined();
  });

  it('does not keep an answer over a sixteenth of the budget, but still hands back its text', () => {
    const cache = new AnswerCache(16 * 1024);
    const big = { text: 'y'.repeat(2000) };
    const answer = cache.keep('big', big);
    expect(answer.bytes).toBe(JSON.stringify(big));
    expect(cache.size).toBe(0);
    expect(cache.usedBytes).toBe(0);
  });

  it('keeping a key again replaces its answer and its bytes', () => {
    const cache = new AnswerCache(1 << 20);
    cache.keep('k', { a: 'x'.repeat(100) });
    const before = cache.usedBytes;
    cache.keep('k', { a: 'x'.repeat(100) });
    expect(cache.size).toBe(1);
    expect(cache.usedBytes).toBe(before);
  });
});
