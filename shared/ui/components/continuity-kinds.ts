import type { ContinuityKind } from '../../schemas/continuity.js';

/** How the panels name each kind of continuity note: a section heading for the list, a label for one note. */
export const KIND_HEADINGS: Record<ContinuityKind, string> = {
  person: 'People', place: 'Places', term: 'Terms', date: 'Dates', number: 'Numbers', promise: 'Promises to the reader',
};
export const KIND_NAMES: Record<ContinuityKind, string> = { person: 'Person', place: 'Place', term: 'Term', date: 'Date', number: 'Number', promise: 'Promise' };
