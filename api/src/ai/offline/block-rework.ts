import type { ReworkAction } from '../../../../shared/schemas/authoring.js';
import { AppError } from '../../lib/app-error.js';
import type { BlockRevisionOutput, DraftRevisionOutput, RevisionBlock, RevisionInput } from '../tasks/revision-task.js';
import { comparable, splitSentences } from './key-phrases.js';
import { TEMPLATE_MODE_SENTENCE } from '../../../../shared/template-mode.js';

type OutBlock = BlockRevisionOutput['replacements'][number]['blocks'][number];

/** Which template transform an instruction asks for ("shorter", "more concrete", "rephrase"…), or null. */
export function templateActionFor(instruction: string): ReworkAction | null {
  const text = instruction.toLowerCase();
  if (/\b(short|shorter|shorten|brief|briefer|concise|trim|tighten)/u.test(text)) return 'shorten';
  if (/\b(long|longer|expand|concrete|detail|develop|elaborate)/u.test(text)) return 'expand';
  if (/\b(rephrase|reword|other words)/u.test(text)) return 'rephrase';
  if (/\b(regenerate|afresh|redo|again)/u.test(text)) return 'regenerate';
  return null;
}

/** Why template mode could not rework a block, as an error the author reads. */
const cannot = (what: string) => new AppError('VALIDATION', `${TEMPLATE_MODE_SENTENCE} cannot ${what}. An AI model can.`);

const out = (type: OutBlock['type'], content: { text?: string; items?: string[] }, sources: string[]): OutBlock => ({
  type, level: null, text: content.text ?? null, items: content.items ?? null, sources,
});
const sentence = (text: string) => (/[.!?…。！？]["'”’)\]]*$/u.test(text) ? text : `${text}.`);

/**
 * The template transforms (no AI model, deterministic, nothing invented): shorten keeps the first half of a
 * passage's sentences (or a list's items); expand adds the sentences of the block's own answers it does not hold yet;
 * rephrase recasts a paragraph as a list of its sentences and a list as a paragraph; regenerate rebuilds the block
 * from its answers' own words. Reworked blocks cite the block they came from (its ref), so they keep its sources.
 */
function transform(action: ReworkAction, block: RevisionBlock, answers: Map<string, string>): OutBlock[] {
  const passage = `passage ${block.ref.slice(1)}`;
  if (block.type === 'heading') throw cannot(`rework the heading ${passage}: edit it by hand`);
  const parts = block.type === 'list' ? block.items ?? [] : splitSentences(block.text ?? '');
  const answerRefs = block.sources.filter((ref) => answers.has(ref));
  switch (action) {
    case 'shorten': {
      if (parts.length < 2) throw cannot(`shorten ${passage}: it is a single ${block.type === 'list' ? 'item' : 'sentence'}`);
      const kept = parts.slice(0, Math.ceil(parts.length / 2));
      return [block.type === 'list' ? out('list', { items: kept }, [block.ref]) : out(block.type, { text: kept.join(' ') }, [block.ref])];
    }
    case 'expand': {
      const held = new Set(parts.map(comparable));
      const more = answerRefs.flatMap((ref) => splitSentences(answers.get(ref)!)).filter((s) => !held.has(comparable(s)) && held.add(comparable(s)));
      if (more.length === 0) throw cannot(`expand ${passage}: your answers behind it hold nothing it does not already say`);
      const cited = [block.ref, ...answerRefs];
      return [block.type === 'list' ? out('list', { items: [...parts, ...more] }, cited) : out(block.type, { text: [...parts, ...more].join(' ') }, cited)];
    }
    case 'rephrase': {
      if (block.type === 'list') return [out('paragraph', { text: parts.map(sentence).join(' ') }, [block.ref])];
      if (parts.length < 2) throw cannot(`rephrase ${passage}: it is a single sentence`);
      return [out('list', { items: parts }, [block.ref])];
    }
    case 'regenerate': {
      if (answerRefs.length === 0) throw cannot(`write ${passage} again: none of your answers is behind it`);
      return answerRefs.map((ref) => out('paragraph', { text: splitSentences(answers.get(ref)!).join(' ') }, [ref]));
    }
  }
}

function actionOf(input: RevisionInput): ReworkAction {
  const action = input.action ?? templateActionFor(input.instruction);
  if (!action) {
    throw new AppError('VALIDATION', `${TEMPLATE_MODE_SENTENCE} can follow only these instructions: shorter, more concrete (it adds details from your answers), rephrase. Other instructions need an AI model.`);
  }
  return action;
}

const answersOf = (input: RevisionInput) => new Map(input.answers.map((a) => [a.ref, a.answer]));

/** Template mode's revision of the selected blocks: each transformed, or an error saying why it cannot be. */
export function templateBlockRevision(input: RevisionInput): BlockRevisionOutput {
  const action = actionOf(input);
  const answers = answersOf(input);
  const replacements = input.draft.filter((block) => input.selected.includes(block.ref)).map((block) => ({ ref: block.ref, blocks: transform(action, block, answers) }));
  return { replacements };
}

/** Template mode's revision of a whole draft: every block the transform applies to, the others kept as they are. */
export function templateDraftRevision(input: RevisionInput): DraftRevisionOutput {
  const action = actionOf(input);
  const answers = answersOf(input);
  let changed = 0;
  const blocks = input.draft.flatMap((block): DraftRevisionOutput['blocks'] => {
    try {
      const made = transform(action, block, answers);
      changed += 1;
      return made.map((b) => ({ ...b, keep: null }));
    } catch {
      return [{ keep: block.ref, type: block.type, level: null, text: null, items: null, sources: [] }];
    }
  });
  if (changed === 0) throw cannot(`${action} any block of this draft`);
  return { blocks };
}
