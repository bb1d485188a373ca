import type { Block } from '../../shared/blocks.js';
import { LIMITS } from '../../shared/limits.js';
import type { InsertChapterRequest } from './chapter-writer.js';

// google.script.run hands the server whatever the sidebar sent: check it here (zod is not bundled).
const ID = /^[A-Za-z0-9_-]{1,100}$/u;
const MAX_BLOCKS = 5_000;
const MAX_TEXT = 100_000;

function fail(what: string): never {
  throw new Error(`Invalid chapter to insert: ${what}.`);
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, what: string, max = MAX_TEXT): string {
  if (typeof value !== 'string' || value.length > max) fail(`${what} must be a string of at most ${max} characters`);
  return value;
}

function id(value: unknown, what: string): string {
  if (typeof value !== 'string' || !ID.test(value)) fail(`${what} must be an id`);
  return value;
}

function block(value: unknown, at: number): Block {
  const raw = record(value, `blocks[${at}]`);
  const sourced = { sources: [], unsupported: raw.unsupported === true };
  switch (raw.type) {
    case 'heading':
      if (raw.level !== 2 && raw.level !== 3) fail(`blocks[${at}].level must be 2 or 3`);
      return { type: 'heading', level: raw.level, text: text(raw.text, `blocks[${at}].text`) };
    case 'paragraph':
    case 'quote':
      return { type: raw.type, text: text(raw.text, `blocks[${at}].text`), ...sourced };
    case 'list': {
      if (!Array.isArray(raw.items) || raw.items.length === 0) fail(`blocks[${at}].items must be a non-empty list`);
      const items = raw.items.map((item, i) => text(item, `blocks[${at}].items[${i}]`));
      return { type: 'list', ordered: raw.ordered === true, items, ...sourced };
    }
    default:
      return fail(`blocks[${at}].type must be heading, paragraph, list or quote`);
  }
}

/** Checks a request from the sidebar and returns it typed (sources are not needed to write). */
export function parseInsertRequest(value: unknown): InsertChapterRequest {
  const raw = record(value, 'the request');
  if (!Array.isArray(raw.blocks) || raw.blocks.length > MAX_BLOCKS) fail(`blocks must be a list of at most ${MAX_BLOCKS}`);
  const tocOrder = raw.tocOrder ?? [];
  if (!Array.isArray(tocOrder) || tocOrder.length > LIMITS.chaptersPerBook * 2) fail('tocOrder must be a list of chapter ids');
  if (raw.mode !== undefined && raw.mode !== 'cursor' && raw.mode !== 'auto') fail('mode must be cursor or auto');
  const hash = raw.expectedTextHash ?? null;
  if (hash !== null && (typeof hash !== 'string' || !/^[0-9a-z]{1,40}$/u.test(hash))) fail('expectedTextHash must be a text hash');
  return {
    bookId: id(raw.bookId, 'bookId'),
    chapterId: id(raw.chapterId, 'chapterId'),
    title: text(raw.title, 'title', LIMITS.chapterTitleMax),
    blocks: raw.blocks.map(block),
    isSection: raw.isSection === true,
    tocOrder: tocOrder.map((chapter, i) => id(chapter, `tocOrder[${i}]`)),
    mode: raw.mode === 'auto' ? 'auto' : 'cursor',
    expectedTextHash: hash,
    overwrite: raw.overwrite === true,
  };
}
