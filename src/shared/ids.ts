import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

/** Kind prefixes make ids self-describing in the API, logs and support tickets. */
export type IdKind = 'brd' | 'usr' | 'key' | 'ses' | 'ctc' | 'tag' | 'seg' | 'top' | 'sup' | 'evt' | 'imp' | 'job' | 'aud' | 'fld' | 'eml' | 'cmp' | 'msg' | 'prv' | 'dom' | 'cap' | 'ser' | 'stp' | 'enr';

/** Time-ordered id (ULID) with a kind prefix; sorts by creation time on both dialects. */
export function newId(kind: IdKind): string {
  return `${kind}_${next().toLowerCase()}`;
}
