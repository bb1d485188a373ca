import type { DraftInput, DraftOutput } from '../tasks/draft-task.js';
import { comparable, headingFor, splitSentences } from './key-phrases.js';
import { TEMPLATE_MODE_SENTENCE } from '../../../../shared/template-mode.js';

const BULLET = /^\s*(?:[-*•‣]|\d+[.)])\s+/u;
type OutBlock = DraftOutput['blocks'][number];

/**
 * Blocks from the author's answers with repeats merged: a sentence or list item already used keeps its first place
 * and cites every answer that said it, so an answer given twice yields one paragraph, not two identical ones.
 */
function mergedBlocks(answers: Array<{ ref: string; answer: string }>): OutBlock[] {
  const blocks: OutBlock[] = [];
  const usedIn = new Map<string, OutBlock>();
  const fresh = (text: string, ref: string) => {
    const key = comparable(text);
    const earlier = usedIn.get(key);
    if (earlier && !earlier.sources.includes(ref)) earlier.sources.push(ref);
    return key.length > 0 && !earlier;
  };
  for (const { ref, answer } of answers) {
    for (const chunk of answer.split(/\n\s*\n/u)) {
      const lines = chunk.split('\n').map((line) => line.trim()).filter(Boolean);
      const bullets = lines.filter((line) => BULLET.test(line));
      const isList = bullets.length >= 2 && bullets.length === lines.length;
      const parts = isList ? bullets.map((line) => line.replace(BULLET, '')) : splitSentences(lines.join(' '));
      const kept: string[] = [];
      for (const part of parts) if (fresh(part, ref) && !kept.some((k) => comparable(k) === comparable(part))) kept.push(part);
      if (kept.length === 0) continue;
      const block: OutBlock = isList
        ? { type: 'list', level: null, text: null, items: kept, sources: [ref] }
        : { type: 'paragraph', level: null, text: kept.join(' '), items: null, sources: [ref] };
      for (const part of kept) usedIn.set(comparable(part), block);
      blocks.push(block);
    }
  }
  return blocks;
}

/**
 * Template mode's draft section (no AI model): the author's own answers arranged as prose, repeats merged, every
 * block citing its answers, under a heading named after the section's key noun phrase when the chapter has several
 * sections. It adds no invented material and applies no style or length (those take an AI model), so it can be
 * shorter than asked.
 */
export function composeOfflineSection(input: DraftInput): DraftOutput {
  const focus = input.answers.filter((a) => input.focus.includes(a.ref) && a.answer.trim().length > 0);
  const blocks = mergedBlocks(focus);
  if (blocks.length === 0) {
    const text = `[${TEMPLATE_MODE_SENTENCE}: no answers yet for "${input.chapter.title}". Answer the chapter questions first.]`;
    return { blocks: [{ type: 'paragraph', level: null, text, items: null, sources: [] }] };
  }
  const heading = input.section.count > 1 ? headingFor(focus.map((a) => a.answer).join('\n'), input.previousHeadings) : null;
  const headingBlock: OutBlock[] = heading ? [{ type: 'heading', level: 2, text: heading, items: null, sources: [] }] : [];
  return { blocks: [...headingBlock, ...blocks] };
}
