import nlp from 'compromise';
import { LIMITS } from '../../../../shared/limits.js';
import type { ContinuityKind } from '../../../../shared/schemas/continuity.js';
import type { ContinuityCheckInput, ContinuityCheckOutput, ContinuityExtractInput, ContinuityExtractOutput } from '../tasks/continuity-task.js';
import { comparable, splitSentences } from './key-phrases.js';

/** Sentences that promise the reader something ("by the end of this book you will…"). */
const PROMISE = /\b(you will|you'll|by the end of (this|the) (book|chapter)|this book will|i promise)\b/iu;
/** A number with the word after it when that word is a unit or a noun ("34 years", "12 nurses", "40%"). */
const NUMBER = /\b\d[\d,.]*(?:\s?%|\s+[\p{L}]+)?/gu;
const DETAIL_MAX = 300;

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max).replace(/\s+\S*$/u, '')}…`);
const edge = (text: string) => text.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}%]+$/gu, '');

/**
 * Template mode's continuity notes: the capitalised names (people, places, organisations and other proper nouns),
 * dates and numbers of the accepted draft, and its sentences that promise the reader something; each with the first
 * sentence that states it. Deterministic, English-tuned (compromise), and labelled offline by the note's generatedBy.
 */
export function offlineContinuityNotes(input: ContinuityExtractInput): ContinuityExtractOutput {
  const known = new Set(input.known.map(comparable));
  const notes: ContinuityExtractOutput['notes'] = [];
  const add = (kind: ContinuityKind, subject: string, detail: string, ref: string) => {
    const key = comparable(subject);
    if (!key || known.has(key) || notes.length >= LIMITS.continuityNotesPerChapter) return;
    known.add(key);
    notes.push({ kind, subject: clip(subject, LIMITS.continuitySubjectMax), detail: clip(detail, DETAIL_MAX), blocks: [ref] });
  };
  for (const block of input.blocks) {
    for (const sentence of splitSentences(block.text)) {
      const doc = nlp(sentence);
      const people = doc.people().out('array') as string[];
      const places = doc.places().out('array') as string[];
      const organisations = doc.organizations().out('array') as string[];
      for (const name of people) add('person', edge(name), sentence, block.ref);
      for (const name of places) add('place', edge(name), sentence, block.ref);
      for (const date of doc.match('#Date+').out('array') as string[]) if (/\d/u.test(date)) add('date', edge(date), sentence, block.ref);
      for (const name of [...organisations, ...(doc.match('#ProperNoun+').out('array') as string[])]) add('term', edge(name), sentence, block.ref);
      for (const match of sentence.matchAll(NUMBER)) add('number', edge(match[0]), sentence, block.ref);
      if (PROMISE.test(sentence)) add('promise', clip(edge(sentence), 120), sentence, block.ref);
    }
  }
  return { notes };
}

const numbersIn = (text: string) => new Set([...text.matchAll(/(?<![\p{L}\p{N}])\d[\d,.]*/gu)].map((m) => m[0].replace(/[,.]+$/u, '')));

/**
 * Template mode's contradiction check: a block sentence that names a locked note's subject together with a number
 * the note does not hold, while the note states one (an age, a year, a count that changed). Deterministic; it finds
 * only numeric contradictions, which the Draft panel says.
 */
export function offlineContinuityConflicts(input: ContinuityCheckInput): ContinuityCheckOutput {
  const conflicts: ContinuityCheckOutput['conflicts'] = [];
  for (const note of input.notes) {
    const stated = numbersIn(note.detail);
    const subject = comparable(note.subject);
    if (stated.size === 0 || !subject || /^\d/u.test(subject)) continue;
    for (const block of input.blocks) {
      const sentence = splitSentences(block.text).find((s) => ` ${comparable(s)} `.includes(` ${subject} `) && [...numbersIn(s)].some((n) => !stated.has(n)));
      if (!sentence) continue;
      const found = [...numbersIn(sentence)].filter((n) => !stated.has(n));
      conflicts.push({ block: block.ref, note: note.ref, explanation: `this passage says ${found.join(', ')}; the note says ${[...stated].join(', ')}.` });
    }
  }
  return { conflicts };
}
