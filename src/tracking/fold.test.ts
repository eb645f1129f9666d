import { describe, expect, it } from 'vitest';
import { FOLD_CHUNK, MIN_FOLD_CHUNK, nextChunkSize, SLOW_CHUNK_MS } from './fold.ts';

describe('the size of the tracking thread’s chunks', () => {
  it('halves after a chunk that took long, down to the smallest, and doubles back once chunks go quickly', () => {
    const sizes = [FOLD_CHUNK];
    for (let i = 0; i < 6; i++) sizes.push(nextChunkSize(sizes.at(-1)!, SLOW_CHUNK_MS + 1));
    expect(sizes).toEqual([500, 250, 125, 62, 31, MIN_FOLD_CHUNK, MIN_FOLD_CHUNK]);
    const back = [MIN_FOLD_CHUNK];
    for (let i = 0; i < 6; i++) back.push(nextChunkSize(back.at(-1)!, 5));
    expect(back).toEqual([25, 50, 100, 200, 400, FOLD_CHUNK, FOLD_CHUNK]);
  });

  it('keeps full-size chunks that take their usual few milliseconds', () => {
    expect(nextChunkSize(FOLD_CHUNK, 30)).toBe(FOLD_CHUNK);
    expect(nextChunkSize(FOLD_CHUNK, SLOW_CHUNK_MS)).toBe(FOLD_CHUNK);
  });
});
