import type { DraftInput, DraftOutput } from '../tasks/draft-task.js';
import { phrase } from '../tasks/common.js';

const BULLET = /^\s*(?:[-*•‣]|\d+[.)])\s+/u;
const FORMAL: Array<[RegExp, string]> = [
  [/\bdon't\b/gi, 'do not'], [/\bcan't\b/gi, 'cannot'], [/\bwon't\b/gi, 'will not'], [/\bit's\b/gi, 'it is'],
  [/\bI'm\b/g, 'I am'], [/\bisn't\b/gi, 'is not'], [/\bdoesn't\b/gi, 'does not'], [/\bthey're\b/gi, 'they are'],
];

function styled(text: string, style: DraftInput['style']): string {
  if (style !== 'academic' && style !== 'professional' && style !== 'technical') return text;
  return FORMAL.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/** Blocks from one answer: bulleted lines become a list, other paragraphs stay paragraphs; all cite the answer. */
function blocksFromAnswer(ref: string, answer: string, style: DraftInput['style']): DraftOutput['blocks'] {
  const blocks: DraftOutput['blocks'] = [];
  for (const chunk of answer.split(/\n\s*\n/u)) {
    const lines = chunk.split('\n').map((line) => line.trim()).filter(Boolean);
    if (lines.length === 0) continue;
    const bullets = lines.filter((line) => BULLET.test(line));
    if (bullets.length >= 2 && bullets.length === lines.length) {
      blocks.push({ type: 'list', level: null, text: null, items: bullets.map((line) => styled(line.replace(BULLET, ''), style)), sources: [ref] });
    } else {
      blocks.push({ type: 'paragraph', level: null, text: styled(lines.join(' '), style), items: null, sources: [ref] });
    }
  }
  return blocks;
}

/**
 * The offline provider's draft section: the author's answers for this section arranged as prose (a section heading
 * taken from its first answer when the chapter has several sections), every block citing its answer. It adds no invented material, so it can be shorter than asked.
 */
export function composeOfflineSection(input: DraftInput): DraftOutput {
  const focus = input.answers.filter((a) => input.focus.includes(a.ref) && a.answer.trim().length > 0);
  const blocks: DraftOutput['blocks'] = [];
  if (input.section.count > 1 && focus[0]) {
    blocks.push({ type: 'heading', level: 2, text: phrase(focus[0].answer, 60), items: null, sources: [focus[0].ref] });
  }
  for (const answer of focus) blocks.push(...blocksFromAnswer(answer.ref, answer.answer, input.style));
  if (blocks.length === 0) {
    blocks.push({ type: 'paragraph', level: null, text: `[Offline draft: no answers yet for "${input.chapter.title}". Answer the chapter questions first.]`, items: null, sources: [] });
  }
  return { blocks };
}
