import type { Block } from '../../../shared/blocks.js';
import { acceptDraft } from './docs-fixtures.js';
import type { TestApp } from './test-app.js';

const src = [{ questionId: 'q_01JTEST00000000000000000000', answerVersion: 1 }];

/** Lines of several scripts, so every format is checked with Latin, Cyrillic, CJK and emoji. */
export const MULTILINGUAL = {
  cyrillic: 'Глава о терпении и ясности',
  chinese: '一对一会议的节奏',
  japanese: '日本語の段落です',
  emoji: 'Done ✅ and launched 🚀',
};

/** A chapter's blocks: paragraphs in several scripts, a heading, both kinds of list, a quote; markup-like characters too. */
export function exportChapterBlocks(n: number): Block[] {
  return [
    { type: 'paragraph', text: `Chapter ${n} begins: ${MULTILINGUAL.cyrillic}. ${MULTILINGUAL.chinese}. ${MULTILINGUAL.japanese}. ${MULTILINGUAL.emoji}.`, sources: src, unsupported: false },
    { type: 'heading', level: 2, text: `Part ${n}.1 — Кириллица & 中文` },
    { type: 'paragraph', text: `Literal markup stays text: *not bold*, _not italic_, <b>not html</b>, [not a link](x), # not a heading, 1. not a list (${n}).`, sources: src, unsupported: false },
    { type: 'list', ordered: false, items: [`Point ${n}a`, `Point ${n}b: ${MULTILINGUAL.chinese}`], sources: src, unsupported: false },
    { type: 'list', ordered: true, items: [`Step ${n} one`, `Step ${n} two`, `Step ${n} three`], sources: src, unsupported: false },
    { type: 'quote', text: `Quote ${n}: “Write what should not be forgotten.”`, sources: [], unsupported: true },
    { type: 'heading', level: 3, text: `Detail ${n}.1.1` },
    { type: 'paragraph', text: `Closing paragraph of chapter ${n}.`, sources: src, unsupported: false },
  ];
}

export const chapterTitleOf = (n: number) => `Chapter ${n}: ${n % 3 === 0 ? `Глава ${n}` : n % 3 === 1 ? `第${n}章` : `Steps & <Tags> ${n}`}`;

/**
 * A book of `count` chapters with accepted drafts, in TOC order, plus a section (a TOC child) under chapter 2 and a
 * chapter with no accepted draft (the one at `withoutDraft`), which every export lists as skipped.
 */
export async function exportBook(t: TestApp, token: string, count: number, withoutDraft = 7) {
  const created = await t.as(token, { method: 'POST', url: '/v1/books', payload: { title: 'Книга: The Calm One-to-One / 一对一', subtitle: 'A field guide 🚀', language: 'en' } });
  const bookId = created.json<{ id: string }>().id;
  const chapters: Array<{ id: string; title: string; isSection: boolean; blocks: Block[] | null }> = [];
  const add = async (title: string, parentId: string | null, drafted: boolean) => {
    const chapter = await t.as(token, { method: 'POST', url: `/v1/books/${bookId}/chapters`, payload: { title, ...(parentId ? { parentId } : {}) } });
    if (chapter.statusCode !== 201) throw new Error(chapter.body);
    const id = chapter.json<{ id: string }>().id;
    const blocks = drafted ? exportChapterBlocks(chapters.length + 1) : null;
    if (blocks) await acceptDraft(t, bookId, id, blocks);
    chapters.push({ id, title, isSection: parentId !== null, blocks });
    return id;
  };
  for (let n = 1; n <= count; n++) {
    const id = await add(chapterTitleOf(n), null, n !== withoutDraft);
    if (n === 2) await add('Section 2.5: a child of chapter 2', id, true);
  }
  return { bookId, chapters };
}
