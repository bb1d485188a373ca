import { describe, expect, it } from 'vitest';
import type { Block } from '../../shared/blocks.js';
import { LIMITS } from '../../shared/limits.js';
import { offlineContinuityConflicts, offlineContinuityNotes } from '../src/ai/offline/continuity-notes.js';
import { offlineFollowUp } from '../src/ai/offline/follow-up.js';
import { recapOf, relevantNotes } from '../src/services/book-memory.js';
import type { ContinuityNoteRecord } from '../src/stores/engine-types.js';

const paragraph = (text: string): Block => ({ type: 'paragraph', text, sources: [], unsupported: true });
const note = (subject: string, locked: boolean): ContinuityNoteRecord => ({
  id: `cn_${subject}`, bookId: 'bk_1', kind: 'term', subject, detail: `${subject} is defined here.`, source: { chapterId: null, draftId: null, answers: [] },
  locked, editedAt: null, generatedBy: null, version: 1, createdAt: '', updatedAt: '',
});

describe('what a draft knows of the book', () => {
  it('recaps an accepted draft by the first sentence of each paragraph, within its bound', () => {
    const blocks: Block[] = [{ type: 'heading', level: 2, text: 'Nights' }, paragraph('Maria ran nights. She hated it.'), paragraph('The huddle changed that. It took ten minutes.')];
    expect(recapOf(blocks)).toBe('Maria ran nights. The huddle changed that.');
    expect(recapOf(blocks, 30)).toBe('Maria ran nights.');
    expect(recapOf([paragraph('One very long first sentence that goes on and on.')], 20)).toBe('One very long first…');
  });

  it('carries the notes the material names (locked first), then other locked ones, bounded', () => {
    const notes = [note('Harbour Clinic', false), note('Maria Lopez', true), note('Daily Huddle', true), note('Night Shift', false)];
    expect(relevantNotes(notes, 'Maria Lopez ran the night shift at Harbour Clinic.').map((n) => n.subject)).toEqual(['Maria Lopez', 'Harbour Clinic', 'Night Shift', 'Daily Huddle']);
    expect(relevantNotes(notes, 'Nothing named here.').map((n) => n.subject)).toEqual(['Maria Lopez', 'Daily Huddle']);
    const many = Array.from({ length: 60 }, (_, i) => note(`Term ${i}`, true));
    expect(relevantNotes(many, '')).toHaveLength(LIMITS.continuityNotesInDraft);
  });
});

describe('template mode, deterministic', () => {
  it('asks its follow-up from the last sentence of the answer', () => {
    const input = { brief: { title: 'T', subtitle: null, genre: null, audience: null, language: null, description: null, targetWords: null, summary: '' },
      chapter: { title: 'C', description: null }, question: { text: 'Q?', helpText: null, lens: 'sceptic' as const }, otherQuestions: [],
      answer: 'I used to advise first. Then Maria asked her nurse one question.' };
    const first = offlineFollowUp(input);
    expect(first).toEqual(offlineFollowUp(input));
    expect(first.followUp).toMatchObject({ lens: 'sceptic', text: 'You wrote: “Then Maria asked her nurse one question.” Tell more about that: what happened, and what should the reader take from it?' });
  });

  it('keeps names, dates, numbers and promises as notes, citing their block, and never a known subject twice', () => {
    const { notes } = offlineContinuityNotes({
      language: null, chapter: { title: 'C' }, known: ['Lisbon'],
      blocks: [{ ref: 'B2', text: 'In March 2019 Maria Lopez opened the Harbour Clinic in Lisbon with 12 nurses.' }, { ref: 'B3', text: 'By the end of this book you will run a calm one-to-one. Maria Lopez agrees.' }],
    });
    const kinds = Object.fromEntries(notes.map((n) => [n.subject, [n.kind, n.blocks[0]]]));
    expect(kinds).toMatchObject({ 'Maria Lopez': ['person', 'B2'], 'March 2019': ['date', 'B2'], '12 nurses': ['number', 'B2'] });
    expect(kinds.Lisbon).toBeUndefined();
    expect(notes.filter((n) => n.subject === 'Maria Lopez')).toHaveLength(1);
    expect(notes.find((n) => n.kind === 'promise')?.blocks).toEqual(['B3']);
  });

  it('flags a sentence that names a locked subject with a number the note does not hold, and nothing else', () => {
    const notes = [{ ref: 'N1', kind: 'person' as const, subject: 'Maria Lopez', detail: 'Maria Lopez is 34 years old.' }];
    const check = (text: string) => offlineContinuityConflicts({ language: null, notes, blocks: [{ ref: 'B1', text }] }).conflicts;
    expect(check('Maria Lopez was 36 years old.')).toEqual([{ block: 'B1', note: 'N1', explanation: 'this passage says 36; the note says 34.' }]);
    expect(check('Maria Lopez, 34, smiled.')).toEqual([]);
    expect(check('Maria Lopez cited A1 twice.')).toEqual([]);
    expect(check('Someone else was 36.')).toEqual([]);
  });
});
