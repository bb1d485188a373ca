import { useState } from 'react';
import { PASSAGE_ACTIONS, PassageResultSchema, type PassageAction, type PassageResult } from '../../schemas/passages.js';
import { useJob } from '../app/hooks.js';
import { useSession } from '../app/session.js';
import { useChapters } from '../components/ChapterPicker.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { JobProgress, unlessSucceeded } from '../components/JobProgress.js';
import { OfflineBadge } from '../components/OfflineBadge.js';
import { QuoteNote } from '../components/QuoteNote.js';
import { writtenItems } from '../core/written-items.js';
import type { SelectedPassage, SelectionHost } from '../panel-host.js';
import { TEMPLATE_MODE_SENTENCE } from '../../template-mode.js';

const LABELS: Record<PassageAction, string> = { rewrite: 'Rewrite', expand: 'Expand', shorten: 'Shorten', continue: 'Continue from here' };

/** What template mode (no AI model) did with each action, said plainly next to its result. */
const TEMPLATE_NOTES: Record<PassageAction, string> = {
  rewrite: `${TEMPLATE_MODE_SENTENCE}: rewriting needs an AI model, so this is your passage with its spacing tidied.`,
  expand: `${TEMPLATE_MODE_SENTENCE}: expanding needs an AI model, so this is your passage with its spacing tidied.`,
  shorten: `${TEMPLATE_MODE_SENTENCE}: the opening sentences of each paragraph, about half of it.`,
  continue: `${TEMPLATE_MODE_SENTENCE}: continuing needs an AI model, so there is nothing to add.`,
};

const paragraphText = (item: unknown) => {
  const text = (item as { text?: unknown } | null)?.text;
  return typeof text === 'string' && text.trim() ? text : null;
};

/**
 * Actions on the passage the author selected in the document (hosts that can read it: the add-on). The result shows
 * here first; it goes into the document only when the author clicks, and only if the passage still holds what was read.
 */
export function SelectionActions({ bookId, selection }: { bookId: string; selection: SelectionHost }) {
  const { client } = useSession();
  const [passage, setPassage] = useState<SelectedPassage | null>(null);
  const [startedJob, setStartedJob] = useState<string | null>(null);
  const [note, setNote] = useState<{ text: string; tone: 'ok' | 'warning' } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const job = useJob('passage.rework', bookId, null);
  const chapters = useChapters(bookId);
  const [materialFor, setMaterialFor] = useState<string>('');

  const parsed = job.job?.id === startedJob && job.job?.status === 'succeeded' ? PassageResultSchema.safeParse(job.job.result) : null;
  const result: PassageResult | null = parsed?.success ? parsed.data : null;

  async function act(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const read = () => act(async () => {
    setNote(null);
    setStartedJob(null);
    if (passage) await selection.release(passage.passageId);
    setPassage(null);
    try {
      const next = await selection.read();
      if (!next) setNote({ text: 'Select some text in the document first, then use it here.', tone: 'warning' });
      setPassage(next);
    } catch (caught) {
      setNote({ text: caught instanceof Error ? caught.message : String(caught), tone: 'warning' });
    }
  });

  const run = (action: PassageAction) => {
    if (!passage) return;
    setNote(null);
    void job.start(async () => {
      const started = await client.reworkPassage({ params: { bookId }, body: { action, passage: passage.text } });
      // Only a job started here, for this passage, can be put into the document.
      setStartedJob(started.job.id);
      return started;
    });
  };

  const insert = (done: PassageResult) => act(async () => {
    if (!passage) return;
    const outcome = await selection.insert({
      passageId: passage.passageId, textHash: passage.textHash, paragraphs: done.paragraphs, placement: done.action === 'continue' ? 'after' : 'replace',
    });
    setPassage(null);
    setStartedJob(null);
    setNote(outcome.status === 'changed'
      ? { text: 'The selected text changed in the document since it was read, so nothing was replaced. Select it again and use it.', tone: 'warning' }
      : { text: outcome.status === 'inserted' ? 'Added after your selection in the document.' : 'Your selection was replaced in the document.', tone: 'ok' });
  });

  const discard = () => act(async () => {
    if (passage) await selection.release(passage.passageId);
    setPassage(null);
    setStartedJob(null);
  });

  const chapterId = materialFor || chapters.current?.id || '';
  const addMaterial = () => act(async () => {
    if (!passage || !chapterId) return;
    await client.addChapterMaterial({ params: { bookId, chapterId }, body: { passage: passage.text } });
    const title = chapters.options.find((o) => o.id === chapterId)?.title ?? 'the chapter';
    setNote({ text: `Added to “${title}” as material: it is now an answered question of that chapter, which its drafts draw on.`, tone: 'ok' });
  });

  return (
    <section aria-label="Your selection" className="aa-subsection aa-selection">
      <h3>Your selection</h3>
      <p className="aa-hint">Select text in the document, then rewrite, expand, shorten or continue it, or keep it as material for a chapter. Nothing changes in the document until you click to put the result in.</p>
      <button type="button" onClick={() => void read()} disabled={busy || job.running}>{passage ? 'Use the new selection' : 'Use my selection'}</button>
      {note && <p className={note.tone === 'ok' ? 'aa-ok' : 'aa-warning'} role="status">{note.text}</p>}
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      {passage && (
        <>
          <blockquote className="aa-passage" dir="auto">{passage.text}</blockquote>
          <div className="aa-row aa-wrap" role="group" aria-label="Actions on the selection">
            {PASSAGE_ACTIONS.map((action) => <button key={action} type="button" disabled={busy || job.running} onClick={() => run(action)}>{LABELS[action]}</button>)}
          </div>
          <QuoteNote operation="passage.rework" bookId={bookId} params={{ action: 'rewrite', passage: passage.text }} />
          {chapters.options.length > 0 && (
            <div>
              <label>
                Material for
                <select value={chapterId} onChange={(e) => setMaterialFor(e.target.value)} dir="auto">
                  {chapters.options.map((o) => <option key={o.id} value={o.id}>{o.isSection ? `— ${o.title}` : o.title}</option>)}
                </select>
              </label>
              <button type="button" disabled={busy} onClick={() => void addMaterial()}>Use as material</button>
            </div>
          )}
        </>
      )}
      <JobProgress job={job.job?.id === startedJob ? unlessSucceeded(job.job) : null} label="Passage" onCancel={() => void job.cancel()}
        written={(streamed) => <div className="aa-passage-result">{writtenItems(streamed, paragraphText).map((text, i) => <p key={i} dir="auto">{text}</p>)}</div>} />
      {job.error ? <ErrorNotice error={job.error} onDismiss={job.clearError} /> : null}
      {result && passage && (
        <article className="aa-passage-result" aria-label="Result">
          <div className="aa-row aa-space"><strong>{LABELS[result.action]}: {result.words} words</strong><OfflineBadge generatedBy={result.generatedBy} /></div>
          {result.generatedBy.offline && <p className="aa-hint aa-template-mode">{TEMPLATE_NOTES[result.action]}</p>}
          {result.paragraphs.map((text, i) => <p key={i} dir="auto">{text}</p>)}
          <div className="aa-row">
            {result.paragraphs.length > 0 && (
              <button type="button" className="aa-primary" disabled={busy} onClick={() => void insert(result)}>
                {result.action === 'continue' ? 'Add after the selection' : 'Replace the selection'}
              </button>
            )}
            <button type="button" className="aa-link" disabled={busy} onClick={() => void discard()}>Discard</button>
          </div>
        </article>
      )}
    </section>
  );
}
