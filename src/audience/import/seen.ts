/**
 * The emails an import has already read, with the row each was first seen on, so a repeated email
 * reports "duplicate of row N". A Map of a million strings costs ~100 MB; this open-addressing table
 * keeps two independent 32-bit hashes and the row in typed arrays: 12 bytes per slot, ~25 MB for a
 * million emails. Two different emails would have to agree on all 64 hash bits to be mistaken
 * for each other: a chance of n²/2^65, about 3·10⁻⁸ for a file of a million distinct emails.
 */
export class SeenEmails {
  private h1: Uint32Array;
  private h2: Uint32Array;
  /** Row + 1; 0 marks an empty slot. */
  private rows: Uint32Array;
  private count = 0;

  constructor(initialSlots = 1 << 16) {
    this.h1 = new Uint32Array(initialSlots);
    this.h2 = new Uint32Array(initialSlots);
    this.rows = new Uint32Array(initialSlots);
  }

  get size(): number {
    return this.count;
  }

  /** The row `email` was first seen on, or null after remembering `row` for it. */
  firstRow(email: string, row: number): number | null {
    const a = fnv1a(email);
    const b = murmurish(email);
    const mask = this.rows.length - 1;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      const r = this.rows[i];
      if (r === 0) {
        this.h1[i] = a;
        this.h2[i] = b;
        this.rows[i] = row + 1;
        if (++this.count * 2 > this.rows.length) this.grow();
        return null;
      }
      if (this.h1[i] === a && this.h2[i] === b) return r - 1;
    }
  }

  private grow() {
    const { h1, h2, rows } = this;
    const slots = rows.length * 2;
    this.h1 = new Uint32Array(slots);
    this.h2 = new Uint32Array(slots);
    this.rows = new Uint32Array(slots);
    const mask = slots - 1;
    for (let j = 0; j < rows.length; j++) {
      if (rows[j] === 0) continue;
      let i = h1[j] & mask;
      while (this.rows[i] !== 0) i = (i + 1) & mask;
      this.h1[i] = h1[j];
      this.h2[i] = h2[j];
      this.rows[i] = rows[j];
    }
  }
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  // Final avalanche so similar emails spread over the low bits used as the slot index.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

function murmurish(s: string): number {
  let h = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    let k = Math.imul(s.charCodeAt(i), 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
