import type { Block } from '../../shared/blocks.js';
import type { ExportBook } from '../src/export/export-book.js';

const WORDS = (
  'manager meeting listen question answer team week note follow calm useful first month mistake advice routine story ' +
  'hospital ward software kitchen pressure conversation trust honest feedback goal plan review time agenda quiet room ' +
  'people work change learn speak write read remember decide promise reason example practice habit small clear'
).split(' ');
const SCRIPTS = ['Глава о терпении и ясности, и о том, как слушать.', '一对一会议的节奏和倾听的力量。', '日本語の段落もここにあります。'];

/** A deterministic pseudo-random generator (mulberry32), so every run exports the same book. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A book of about `words` words in `chapters` chapters: paragraphs of 60–140 words (one in eight with a Cyrillic or
 * CJK sentence), a heading every six paragraphs, a list and a quote per chapter, a section under every fifth chapter.
 */
export function benchBook(words = 150_000, chapters = 60): ExportBook {
  const next = random(42);
  const word = () => WORDS[Math.floor(next() * WORDS.length)]!;
  const sentence = (n: number) => {
    const text = Array.from({ length: n }, word).join(' ');
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  };
  const perChapter = Math.floor(words / chapters);
  const book: ExportBook = {
    id: 'bk_bench', title: 'The Calm One-to-One', subtitle: 'A benchmark book', author: 'Bench Author', language: 'en',
    exportedAt: new Date().toISOString(), chapters: [],
  };
  const sources = { sources: [], unsupported: false };
  for (let c = 0; c < chapters; c++) {
    const blocks: Block[] = [];
    let count = 0;
    let paragraph = 0;
    while (count < perChapter) {
      if (paragraph % 6 === 5) blocks.push({ type: 'heading', level: 2, text: sentence(4).slice(0, -1) });
      const length = 60 + Math.floor(next() * 80);
      const parts = [sentence(Math.floor(length / 2)), sentence(length - Math.floor(length / 2))];
      if (paragraph % 8 === 3) parts.push(SCRIPTS[paragraph % SCRIPTS.length]!);
      blocks.push({ type: 'paragraph', text: parts.join(' '), ...sources });
      count += length;
      paragraph++;
    }
    blocks.push({ type: 'list', ordered: c % 2 === 0, items: [sentence(8), sentence(10), sentence(6)], ...sources });
    blocks.push({ type: 'quote', text: sentence(20), ...sources });
    book.chapters.push({ id: `ch_${c}`, title: `Chapter ${c + 1}: ${sentence(3).slice(0, -1)}`, isSection: c % 5 === 4, blocks });
  }
  return book;
}
