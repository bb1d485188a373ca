// The text rules of blocks, free of zod so the add-on's Apps Script bundle can use them without bundling it.
import type { Block } from './blocks.js';

// Characters Google Docs strips or treats as structure; block text never carries them.
// eslint-disable-next-line no-control-regex
const STRIPPED = /[\u0000-\u0008\u000B-\u001F\u007F\uE000-\uF8FF\uFFFE\uFFFF]/g;

/** Normalises block text: NFC, no raw newlines or control characters, single spaces at the edges trimmed. */
export function cleanBlockText(text: string): string {
  // eslint-disable-next-line no-control-regex -- U+000B is a line break inside a Docs paragraph
  return text.normalize('NFC').replace(/\r\n|\r|\n|\u000B|\u2028|\u2029/g, ' ').replace(STRIPPED, '').replace(/\s+$/u, '').replace(/^\s+/u, '');
}

/** Plain text of a block (list items joined by spaces), for counting. */
export function blockText(block: Block): string {
  return block.type === 'list' ? block.items.join(' ') : block.text;
}
