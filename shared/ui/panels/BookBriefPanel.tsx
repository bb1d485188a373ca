import { useMemo, useState } from 'react';
import { isApiError } from '../../client/api-error.js';
import { LIMITS } from '../../limits.js';
import { evaluateReadiness, READINESS } from '../../readiness.js';
import type { Book, Summary, UpdateBookBody } from '../../schemas/books.js';
import { useAutosave, useLoad } from '../app/hooks.js';
import { useSession } from '../app/session.js';
import { ConflictChooser } from '../components/ConflictChooser.js';
import { describeError } from '../core/error-view.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { SaveStatus } from '../components/SaveStatus.js';
import { BookOverviewView } from '../components/BookOverviewView.js';
import { useGuide } from '../app/guide.js';
import { BookPicker } from './BookPicker.js';
import { DocImport } from './DocImport.js';

/** The brief's editable fields, as typed (target length as text until it is a number). */
interface BriefFields {
  title: string;
  subtitle: string;
  audience: string;
  genre: string;
  language: string;
  targetWords: string;
  standingInstructions: string;
  voiceSample: string;
}

const fieldsOf = (book: Book): BriefFields => ({
  title: book.title, subtitle: book.subtitle ?? '', audience: book.audience ?? '', genre: book.genre ?? '',
  language: book.language ?? '', targetWords: book.targetWords === null ? '' : String(book.targetWords),
  standingInstructions: book.standingInstructions ?? '', voiceSample: book.voiceSample ?? '',
});

const orNull = (text: string) => (text.trim() === '' ? null : text);

type BriefBody = UpdateBookBody;

/** The PATCH body of the brief; a target length that is not a whole number is refused here, by name. */
function briefBody(fields: BriefFields, version: number | null): { body: BriefBody; refused: Partial<Record<keyof BriefFields, string>> } {
  const target = fields.targetWords.trim().replace(/[\s,._'’]/g, '');
  const body: BriefBody = {
    ...(version === null ? {} : { version }), title: fields.title, subtitle: orNull(fields.subtitle), audience: orNull(fields.audience),
    genre: orNull(fields.genre), language: orNull(fields.language), standingInstructions: orNull(fields.standingInstructions),
    voiceSample: orNull(fields.voiceSample),
  };
  if (target === '') return { body: { ...body, targetWords: null }, refused: {} };
  if (/^\d+$/.test(target)) return { body: { ...body, targetWords: Number(target) }, refused: {} };
  return { body, refused: { targetWords: 'The target length must be a whole number of words.' } };
}

const BRIEF_KEYS = new Set<string>(['title', 'subtitle', 'audience', 'genre', 'language', 'targetWords', 'standingInstructions', 'voiceSample']);

/** Book brief: title, subtitle, audience, genre, language, target length and the summary, with readiness live. */
export function BookBriefPanel() {
  const { book } = useSession();
  return (
    <section aria-labelledby="aa-brief-title" className="aa-section">
      <h2 id="aa-brief-title">Book brief</h2>
      {book ? <BriefEditor key={book.id} book={book} /> : <BookPicker />}
    </section>
  );
}

function BriefEditor({ book }: { book: Book }) {
  const { client, setBook, doc } = useSession();
  const { go } = useGuide();
  const summary = useLoad<Summary>(() => client.getSummary({ params: { bookId: book.id } }), [client, book.id]);

  // Fields the server (or the panel) refused at the last save, marked where they are; the others save regardless.
  const [refused, setRefused] = useState<Partial<Record<keyof BriefFields, string>>>({});
  const brief = useAutosave<BriefFields>({ value: fieldsOf(book), version: book.version }, {
    key: `brief:${book.id}`,
    async save(fields, version) {
      const { body, refused: mine } = briefBody(fields, version);
      let saved: Book;
      let theirs: Partial<Record<keyof BriefFields, string>> = {};
      try {
        saved = await client.updateBook({ params: { bookId: book.id }, body });
      } catch (caught) {
        const named = describeError(caught).fields.filter((f) => BRIEF_KEYS.has(f.path));
        if (!isApiError(caught) || caught.code !== 'VALIDATION' || named.length === 0) throw caught;
        // One bad field never blocks the others: save the rest, and say which field was not saved and why.
        theirs = Object.fromEntries(named.map((f) => [f.path, f.message]));
        const rest = Object.fromEntries(Object.entries(body).filter(([key]) => !(key in theirs))) as BriefBody;
        saved = await client.updateBook({ params: { bookId: book.id }, body: rest });
      }
      setRefused({ ...mine, ...theirs });
      setBook(saved);
      return { value: fieldsOf(saved), version: saved.version };
    },
    conflictOf: (details) => {
      const current = (details as { current?: Book } | null)?.current;
      return current && typeof current.version === 'number' ? { value: fieldsOf(current), version: current.version } : null;
    },
  });

  const text = useAutosave<string>(summary.data ? { value: summary.data.summary, version: summary.data.version } : null, {
    key: `summary:${book.id}`,
    async save(value, version) {
      const saved = await client.putSummary({ params: { bookId: book.id }, body: { summary: value, ...(version === null ? {} : { version }) } });
      return { value: saved.summary, version: saved.version };
    },
    conflictOf: (details) => {
      const current = (details as { current?: Summary } | null)?.current;
      return current && typeof current.version === 'number' ? { value: current.summary, version: current.version } : null;
    },
  });

  const fields = brief.snapshot?.value ?? fieldsOf(book);
  const summaryText = text.snapshot?.value ?? '';
  const readiness = useMemo(() => evaluateReadiness({ title: fields.title, summary: summaryText }), [fields.title, summaryText]);
  const set = (name: keyof BriefFields) => (event: { target: { value: string } }) => brief.edit({ ...fields, [name]: event.target.value });

  return (
    <div className="aa-form">
      <div className="aa-row aa-space">
        <SaveStatus label="Brief" snapshot={brief.snapshot} onRetry={brief.retry} />
        <button type="button" className="aa-link" onClick={() => setBook(null)}>Switch book</button>
      </div>
      <BookOverviewView />
      {/* Beside a document, importing it is where a book with material already written starts: first, not under the form. */}
      {doc && <DocImport book={book} onMaterial={(material) => text.edit(summaryText ? `${summaryText}\n\n${material}` : material)} />}
      {brief.snapshot?.conflict && (
        <ConflictChooser what="brief" mine={describeFields(brief.snapshot.conflict.mine)} theirs={describeFields(brief.snapshot.conflict.theirs)} onChoose={brief.resolve} />
      )}
      <BriefInput name="title" label="Title" max={LIMITS.bookTitleMax} required fields={fields} refused={refused} set={set} />
      <BriefInput name="subtitle" label="Subtitle" max={LIMITS.bookSubtitleMax} fields={fields} refused={refused} set={set} />
      <BriefInput name="audience" label="Audience" max={LIMITS.bookAudienceMax} placeholder="Who is this book for?" fields={fields} refused={refused} set={set} />
      <BriefInput name="genre" label="Genre" max={LIMITS.bookGenreMax} placeholder="e.g. non-fiction, memoir" fields={fields} refused={refused} set={set} />
      <BriefInput name="language" label="Language" max={LIMITS.bookLanguageMax} placeholder="e.g. English" fields={fields} refused={refused} set={set} />
      <BriefInput name="targetWords" label="Target length (words)" numeric fields={fields} refused={refused} set={set}
        hint={`Between ${LIMITS.bookTargetWordsMin.toLocaleString()} and ${LIMITS.bookTargetWordsMax.toLocaleString()} words.`} />
      <BriefInput name="standingInstructions" label="Standing instructions" max={LIMITS.standingInstructionsMax} multiline
        placeholder={'e.g. British spelling\nNo bullet lists'} fields={fields} refused={refused} set={set}
        hint="Followed in every draft and revision of this book (with an AI model)." />
      <BriefInput name="voiceSample" label="Voice sample" max={LIMITS.voiceSampleMaxChars} multiline
        placeholder="Paste a passage you wrote, in the voice you want for this book." fields={fields} refused={refused} set={set}
        hint={`Up to ${LIMITS.voiceSampleMaxChars.toLocaleString()} characters. Drafts match its voice (with an AI model); its content is never used as material.`} />

      {summary.error ? <ErrorNotice error={summary.error} onRetry={summary.reload} /> : null}
      <label>
        Summary
        <textarea name="summary" rows={8} dir="auto" value={summaryText} disabled={!text.snapshot} onChange={(e) => text.edit(e.target.value)}
          onBlur={() => void text.flush()} aria-describedby="aa-readiness" />
      </label>
      <SaveStatus label="Summary" snapshot={text.snapshot} onRetry={text.retry} />
      {text.snapshot?.conflict && (
        <ConflictChooser what="summary" mine={text.snapshot.conflict.mine} theirs={text.snapshot.conflict.theirs} onChoose={text.resolve} />
      )}
      {/* Judged only on the summary as stored: one that could not be read is not "missing". */}
      {text.snapshot && (
        <div id="aa-readiness" className={`aa-readiness aa-readiness-${readiness.level}`} data-ready={readiness.ready}>
          <meter min={0} max={READINESS.summaryGoodWords} low={READINESS.summaryMinWords} optimum={READINESS.summaryGoodWords}
            value={Math.min(readiness.words, READINESS.summaryGoodWords)} aria-label="Summary length" />
          <p>
            {readiness.words} words, {readiness.characters} characters —{' '}
            {readiness.ready
              ? <button type="button" className="aa-link aa-strong" onClick={() => go('interview')}>{readiness.level === 'good' ? 'Ready, with plenty of detail: on to the interview' : 'Ready for the interview'}</button>
              : <strong>Not ready yet</strong>}
          </p>
          <ul>{readiness.checks.filter((c) => !c.ok).map((c) => <li key={c.id}>{c.message}</li>)}</ul>
        </div>
      )}
    </div>
  );
}

/** One brief field: its input, its hint, and what was refused at the last save (marked on the field itself). */
function BriefInput({ name, label, max, required, placeholder, numeric, multiline, hint, fields, refused, set }: {
  name: keyof BriefFields;
  label: string;
  max?: number;
  required?: boolean;
  placeholder?: string;
  numeric?: boolean;
  multiline?: boolean;
  hint?: string;
  fields: BriefFields;
  refused: Partial<Record<keyof BriefFields, string>>;
  set: (name: keyof BriefFields) => (event: { target: { value: string } }) => void;
}) {
  const problem = refused[name];
  const described = [hint ? `aa-${name}-hint` : null, problem ? `aa-${name}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <>
      <label>
        {label}
        {multiline
          ? <textarea name={name} dir="auto" rows={3} maxLength={max} value={fields[name]} onChange={set(name)} placeholder={placeholder}
              aria-invalid={problem ? true : undefined} aria-describedby={described} />
          : <input name={name} dir={numeric ? undefined : 'auto'} inputMode={numeric ? 'numeric' : undefined} required={required} maxLength={max}
              value={fields[name]} onChange={set(name)} placeholder={placeholder} aria-invalid={problem ? true : undefined} aria-describedby={described} />}
      </label>
      {hint && <p id={`aa-${name}-hint`} className="aa-hint">{hint}</p>}
      {problem && <p id={`aa-${name}-error`} className="aa-field-error" data-field-error={name}>Not saved: {problem}</p>}
    </>
  );
}

function describeFields(f: BriefFields): string {
  return [`Title: ${f.title}`, `Subtitle: ${f.subtitle}`, `Audience: ${f.audience}`, `Genre: ${f.genre}`, `Language: ${f.language}`, `Target length: ${f.targetWords}`, `Standing instructions: ${f.standingInstructions}`, `Voice sample: ${f.voiceSample}`].join('\n');
}
