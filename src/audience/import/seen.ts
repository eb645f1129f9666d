/**
 * The emails an import has already read, with the row each was first seen on, so a repeated email
 * reports "duplicate of row N". A Map of a million strings costs ~100 MB; this keeps two independent
 * 32-bit hashes and the row per email in typed arrays (12 bytes a slot). Two different emails would
 * have to agree on all 64 hash bits to be mistaken for each other: a chance of n²/2^65, about 3·10⁻⁸
 * for a file of a million distinct emails.
 *
 * The slots are split over PARTS open-addressing tables picked by the second hash, each growing
 * by half when four fifths full: a growing table copies only its own few hundred KB (one large
 * table would briefly hold its old and new arrays, 36 MB at a million emails), and 1.5× steps keep
 * the tables fuller than doubling does. The old arrays are garbage outside V8's heap until its next
 * full collection, so a caller that can estimate the number of emails sizes the tables once
 * (`expect`): ~17 MB for a million emails and next to no garbage.
 */
const PARTS = 64;
const FIRST_SLOTS = 1024;
/** Per slot: h1, h2, row + 1 (0 marks an empty slot). */
const WIDTH = 3;
/** A table grows past this share of full slots (linear probing slows down beyond it)... */
const MAX_LOAD = 0.8;
/** ...and is sized for this share when the number of emails is known in advance. */
const TARGET_LOAD = 0.7;

export class SeenEmails {
  private readonly parts: Uint32Array[] = Array.from({ length: PARTS }, () => new Uint32Array(FIRST_SLOTS * WIDTH));
  private readonly counts = new Uint32Array(PARTS);

  /** Makes room for about `emails` emails in all (it still grows if there are more). */
  expect(emails: number): void {
    const slots = Math.ceil(emails / PARTS / TARGET_LOAD);
    for (let p = 0; p < PARTS; p++) {
      if (slots > this.parts[p].length / WIDTH) this.parts[p] = rehashed(this.parts[p], slots);
    }
  }

  /** The row `email` was first seen on, or null after remembering `row` for it. */
  firstRow(email: string, row: number): number | null {
    const a = fnv1a(email);
    const b = murmurish(email);
    const p = b % PARTS;
    const table = this.parts[p];
    const slots = table.length / WIDTH;
    for (let i = slotOf(a, slots); ; i = i + 1 === slots ? 0 : i + 1) {
      const at = i * WIDTH;
      const r = table[at + 2];
      if (r === 0) {
        table[at] = a;
        table[at + 1] = b;
        table[at + 2] = row + 1;
        if (++this.counts[p] > slots * MAX_LOAD) this.parts[p] = rehashed(table, Math.ceil(slots * 1.5));
        return null;
      }
      if (table[at] === a && table[at + 1] === b) return r - 1;
    }
  }
}

/** Home slot of hash `h` in a table of `slots` (any size, not only powers of two). */
const slotOf = (h: number, slots: number) => Math.floor((h / 4294967296) * slots);

function rehashed(table: Uint32Array, slots: number): Uint32Array {
  const next = new Uint32Array(slots * WIDTH);
  for (let j = 0; j < table.length; j += WIDTH) {
    if (table[j + 2] === 0) continue;
    let i = slotOf(table[j], slots);
    while (next[i * WIDTH + 2] !== 0) i = i + 1 === slots ? 0 : i + 1;
    next.set(table.subarray(j, j + WIDTH), i * WIDTH);
  }
  return next;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  // Final avalanche so similar emails spread over the high bits that pick the home slot.
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
