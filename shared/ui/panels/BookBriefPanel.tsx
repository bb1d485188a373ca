import { useMemo } from 'react';
import { LIMITS } from '../../limits.js';
import { evaluateReadiness, READINESS } from '../../readiness.js';
import type { Book, Summary } from '../../schemas/books.js';
import { useAutosave, useLoad } from '../app/hooks.js';
import { useSession } from '../app/session.js';
import { ConflictChooser } from '../components/ConflictChooser.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { SaveStatus } from '../components/SaveStatus.js';
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
}

const fieldsOf = (book: Book): BriefFields => ({
  title: book.title, subtitle: book.subtitle ?? '', audience: book.audience ?? '', genre: book.genre ?? '',
  language: book.language ?? '', targetWords: book.targetWords === null ? '' : String(book.targetWords),
});

const orNull = (text: string) => (text.trim() === '' ? null : text);

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
  const summary = useLoad<Summary>(() => client.getSummary({ params: { bookId: book.id } }), [client, book.id]);

  const brief = useAutosave<BriefFields>({ value: fieldsOf(book), version: book.version }, {
    key: `brief:${book.id}`,
    async save(fields, version) {
      const target = fields.targetWords.trim() === '' ? null : Number(fields.targetWords);
      const saved = await client.updateBook({
        params: { bookId: book.id },
        body: {
          ...(version === null ? {} : { version }), title: fields.title, subtitle: orNull(fields.subtitle), audience: orNull(fields.audience),
          genre: orNull(fields.genre), language: orNull(fields.language), targetWords: target,
        },
      });
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
      {brief.snapshot?.conflict && (
        <ConflictChooser what="brief" mine={describeFields(brief.snapshot.conflict.mine)} theirs={describeFields(brief.snapshot.conflict.theirs)} onChoose={brief.resolve} />
      )}
      <label>Title<input name="title" required maxLength={LIMITS.bookTitleMax} value={fields.title} onChange={set('title')} /></label>
      <label>Subtitle<input name="subtitle" maxLength={LIMITS.bookSubtitleMax} value={fields.subtitle} onChange={set('subtitle')} /></label>
      <label>Audience<input name="audience" maxLength={LIMITS.bookAudienceMax} value={fields.audience} onChange={set('audience')} placeholder="Who is this book for?" /></label>
      <label>Genre<input name="genre" maxLength={LIMITS.bookGenreMax} value={fields.genre} onChange={set('genre')} placeholder="Non-fiction, memoir, …" /></label>
      <label>Language<input name="language" maxLength={LIMITS.bookLanguageMax} value={fields.language} onChange={set('language')} placeholder="en" /></label>
      <label>
        Target length (words)
        <input name="targetWords" inputMode="numeric" value={fields.targetWords} onChange={set('targetWords')}
          aria-describedby="aa-target-hint" placeholder={`${LIMITS.bookTargetWordsMin}–${LIMITS.bookTargetWordsMax}`} />
      </label>
      <p id="aa-target-hint" className="aa-hint">Between {LIMITS.bookTargetWordsMin.toLocaleString()} and {LIMITS.bookTargetWordsMax.toLocaleString()} words.</p>

      {summary.error ? <ErrorNotice error={summary.error} onRetry={summary.reload} /> : null}
      <label>
        Summary
        <textarea name="summary" rows={8} value={summaryText} disabled={!text.snapshot} onChange={(e) => text.edit(e.target.value)}
          onBlur={() => void text.flush()} aria-describedby="aa-readiness" />
      </label>
      <SaveStatus label="Summary" snapshot={text.snapshot} onRetry={text.retry} />
      {text.snapshot?.conflict && (
        <ConflictChooser what="summary" mine={text.snapshot.conflict.mine} theirs={text.snapshot.conflict.theirs} onChoose={text.resolve} />
      )}
      <div id="aa-readiness" className={`aa-readiness aa-readiness-${readiness.level}`} data-ready={readiness.ready}>
        <meter min={0} max={READINESS.summaryGoodWords} low={READINESS.summaryMinWords} optimum={READINESS.summaryGoodWords}
          value={Math.min(readiness.words, READINESS.summaryGoodWords)} aria-label="Summary length" />
        <p>
          {readiness.words} words, {readiness.characters} characters —{' '}
          <strong>{readiness.ready ? (readiness.level === 'good' ? 'Ready, with plenty of detail' : 'Ready for the interview') : 'Not ready yet'}</strong>
        </p>
        <ul>{readiness.checks.filter((c) => !c.ok).map((c) => <li key={c.id}>{c.message}</li>)}</ul>
      </div>
      {doc && <DocImport book={book} onMaterial={(material) => text.edit(summaryText ? `${summaryText}\n\n${material}` : material)} />}
    </div>
  );
}

function describeFields(f: BriefFields): string {
  return [`Title: ${f.title}`, `Subtitle: ${f.subtitle}`, `Audience: ${f.audience}`, `Genre: ${f.genre}`, `Language: ${f.language}`, `Target length: ${f.targetWords}`].join('\n');
}
