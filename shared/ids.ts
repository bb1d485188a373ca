import { monotonicFactory } from 'ulid';

/** Id prefixes: every id is `<prefix>_<ULID>`, opaque to clients. */
export const ID_PREFIX = {
  user: 'usr',
  book: 'bk',
  chapter: 'ch',
  question: 'q',
  answer: 'ans',
  draft: 'dr',
  job: 'job',
  token: 'tok',
  proposal: 'prop',
  audit: 'aud',
  ledger: 'led',
  continuityNote: 'cn',
  export: 'exp',
} as const;
export type IdKind = keyof typeof ID_PREFIX;

const nextUlid = monotonicFactory();

/** A new, time-ordered id of the given kind (later ids sort after earlier ones). */
export function newId(kind: IdKind): string {
  return `${ID_PREFIX[kind]}_${nextUlid()}`;
}

