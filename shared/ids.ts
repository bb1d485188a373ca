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
} as const;
export type IdKind = keyof typeof ID_PREFIX;

const nextUlid = monotonicFactory();

/** A new, time-ordered id of the given kind (later ids sort after earlier ones). */
export function newId(kind: IdKind): string {
  return `${ID_PREFIX[kind]}_${nextUlid()}`;
}

const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** True when `value` has the shape of an id of `kind`; malformed ids are treated as "not found". */
export function isId(kind: IdKind, value: string): boolean {
  const prefix = `${ID_PREFIX[kind]}_`;
  return value.startsWith(prefix) && ULID_PATTERN.test(value.slice(prefix.length));
}
