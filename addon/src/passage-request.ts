import { cleanBlockText } from '../../shared/block-text.js';
import type { PassageInsertRequest } from './passage.js';

// google.script.run hands the server whatever the sidebar sent: check it here (zod is not bundled).
const PASSAGE_ID = /^[a-z0-9]{1,40}$/u;
const MAX_PARAGRAPHS = 200;
const MAX_TEXT = 20_000;

function fail(what: string): never {
  throw new Error(`Invalid passage to insert: ${what}.`);
}

/** A passage id as the sidebar holds it (made by `newPassageId`). */
export function passageIdOf(value: unknown): string {
  if (typeof value !== 'string' || !PASSAGE_ID.test(value)) fail('passageId must be an id');
  return value;
}

/** Base-36 digits of a passage id's time (milliseconds since the epoch fit until the year 5188). */
const TIME_DIGITS = 9;

/** A fresh id for a passage's named range: its time (fixed width) and randomness; ids only need to differ per document. */
export function newPassageId(now = Date.now()): string {
  return `${now.toString(36).padStart(TIME_DIGITS, '0')}${Math.random().toString(36).slice(2, 10).padEnd(8, '0')}`;
}

/** When a passage id made by `newPassageId` was made (ms since the epoch); null for any other id. */
export function passageIdTime(passageId: string): number | null {
  if (!/^[a-z0-9]{17}$/u.test(passageId)) return null;
  const time = parseInt(passageId.slice(0, TIME_DIGITS), 36);
  return Number.isSafeInteger(time) ? time : null;
}

export function parsePassageInsertRequest(value: unknown): PassageInsertRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('the request must be an object');
  const raw = value as Record<string, unknown>;
  if (typeof raw.textHash !== 'string' || raw.textHash.length === 0 || raw.textHash.length > 100) fail('textHash must be a string');
  if (raw.placement !== 'replace' && raw.placement !== 'after') fail('placement must be replace or after');
  if (!Array.isArray(raw.paragraphs) || raw.paragraphs.length > MAX_PARAGRAPHS) fail(`paragraphs must be a list of at most ${MAX_PARAGRAPHS}`);
  const paragraphs = raw.paragraphs.map((paragraph, i) => {
    if (typeof paragraph !== 'string' || paragraph.length > MAX_TEXT) fail(`paragraphs[${i}] must be a string of at most ${MAX_TEXT} characters`);
    // The same text rules as written chapters: no raw newlines or characters Docs strips.
    return cleanBlockText(paragraph);
  }).filter((paragraph) => paragraph !== '');
  if (paragraphs.length === 0) fail('there is nothing to insert');
  return { passageId: passageIdOf(raw.passageId), textHash: raw.textHash, paragraphs, placement: raw.placement };
}
