import { getRandomValues } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * ulid asks the system for randomness once per character of every id by default (about 7 µs an
 * id, paid per outbox row and per tracked event). The same CSPRNG, drawn 4 KiB at a time: each
 * draw is a uniform 32-bit value, and ulid takes floor(x · 32) of it, so characters stay uniform.
 */
const pool = new Uint32Array(1024);
let used = pool.length;
function pooledRandom(): number {
  if (used === pool.length) {
    getRandomValues(pool);
    used = 0;
  }
  return pool[used++] / 0x1_0000_0000;
}

const next = monotonicFactory(pooledRandom);

/** Kind prefixes make ids self-describing in the API, logs and support tickets. */
export type IdKind = 'brd' | 'usr' | 'key' | 'ses' | 'ctc' | 'tag' | 'seg' | 'top' | 'sup' | 'evt' | 'imp' | 'job' | 'aud' | 'fld' | 'eml' | 'cmp' | 'msg' | 'prv' | 'dom' | 'cap' | 'ser' | 'stp' | 'enr';

/** Time-ordered id (ULID) with a kind prefix; sorts by creation time on both dialects. */
export function newId(kind: IdKind): string {
  return `${kind}_${next().toLowerCase()}`;
}
