import type { PassageInput, PassageOutput } from '../tasks/passage-task.js';

/** Sentences of a paragraph (ends kept), so a shortened paragraph is never cut mid-sentence. */
const sentencesOf = (paragraph: string) => paragraph.match(/[^.!?…]+(?:[.!?…]+["'”’)\]]*\s*|$)/gu)?.map((s) => s.trim()).filter(Boolean) ?? [paragraph];
const wordsIn = (text: string) => text.split(/\s+/u).filter(Boolean).length;
const tidy = (paragraph: string) => paragraph.replace(/\s+/gu, ' ').trim();

/**
 * Template mode (no AI model) cannot rewrite, expand or continue prose: it returns the passage itself with its
 * spacing tidied (rewrite, expand), nothing to continue with (continue), and for shorten the opening sentences of
 * each paragraph, about half of it. The panels say which of these it was.
 */
export function passageTemplate(input: PassageInput): PassageOutput {
  const paragraphs = input.passage.map(tidy).filter(Boolean);
  if (input.action === 'continue') return { paragraphs: [] };
  if (input.action !== 'shorten') return { paragraphs };
  return {
    paragraphs: paragraphs.map((paragraph) => {
      const half = wordsIn(paragraph) / 2;
      const kept: string[] = [];
      for (const sentence of sentencesOf(paragraph)) {
        if (kept.length > 0 && wordsIn(kept.join(' ')) >= half) break;
        kept.push(sentence);
      }
      return kept.join(' ');
    }),
  };
}
