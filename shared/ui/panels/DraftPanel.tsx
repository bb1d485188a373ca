import { useEffect, useState } from 'react';
import { LIMITS } from '../../limits.js';
import { DRAFT_STYLES, type Draft, type ReworkAction } from '../../schemas/authoring.js';
import { useJob, useJobPartials, useLoad } from '../app/hooks.js';
import { useIsNext } from '../app/guide.js';
import { useSession } from '../app/session.js';
import { BookSection, ChapterScoped } from '../components/BookSection.js';
import { DraftBlocks, WrittenDraft } from '../components/DraftBlocks.js';
import { BlockTools, changeSummary, DraftCompare, ReviseBox } from '../components/DraftVersionTools.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { JobProgress, unlessSucceeded } from '../components/JobProgress.js';
import { OfflineBadge } from '../components/OfflineBadge.js';
import { QuoteLine, useQuote } from '../components/QuoteNote.js';
import { TEMPLATE_MODE_SENTENCE } from '../../template-mode.js';

type Style = (typeof DRAFT_STYLES)[number];
const DEFAULT_WORDS = 1_500;

/** How a draft generated from the answers was made: its style, or template mode, where no style applies. */
const madeAs = (draft: Draft) => (draft.generatedBy.offline ? 'template mode' : draft.style);

/** Draft: style and target length, live job progress with cancel, provenance per paragraph, accept. */
export function DraftPanel() {
  return (
    <BookSection id="draft" title="Draft">
      {(book) => <ChapterScoped bookId={book.id}>{(chapterId) => <Drafter bookId={book.id} chapterId={chapterId} />}</ChapterScoped>}
    </BookSection>
  );
}

function Drafter({ bookId, chapterId }: { bookId: string; chapterId: string }) {
  const { client, host } = useSession();
  const params = { bookId, chapterId };
  const [style, setStyle] = useState<Style>('professional');
  const [targetWords, setTargetWords] = useState(String(DEFAULT_WORDS));
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  // What the last accept said about the continuity notes (updating from the draft, or why not).
  const [acceptNote, setAcceptNote] = useState<string | null>(null);
  const drafts = useLoad(() => client.listDrafts({ params, query: { limit: 20 } }), [client, bookId, chapterId]);
  // Template mode (no AI model) arranges the author's own answers: style and length take effect only with a model.
  const templateMode = useLoad(() => client.meta(), [client]).data?.ai.offline === true;
  const questions = useLoad(() => client.listQuestions({ params, query: { limit: LIMITS.pageLimitMax } }), [client, bookId, chapterId]);
  const showNew = (done: { result: Record<string, unknown> | null }) => {
    if (typeof done.result?.draftId === 'string') setSelected(done.result.draftId);
    drafts.reload();
  };
  const job = useJob('draft.generate', bookId, chapterId, showNew);
  // New versions made from the one shown: revised by an instruction, or one passage reworked.
  const revision = useJob('draft.revise', bookId, chapterId, showNew);
  const rework = useJob('draft.rework', bookId, chapterId, showNew);
  const [comparing, setComparing] = useState(false);

  // The author's last style and length are remembered per host.
  useEffect(() => {
    void host.settings.get<{ style: Style; targetWords: string }>('draftOptions').then((saved) => {
      if (saved) {
        setStyle(saved.style);
        setTargetWords(saved.targetWords);
      }
    });
  }, [host]);

  const words = Number(targetWords);
  const validLength = Number.isInteger(words) && words >= LIMITS.draftWordsMin && words <= LIMITS.draftWordsMax;
  const generate = () => {
    void host.settings.set('draftOptions', { style, targetWords });
    void job.start(() => client.generateDraft({ params, body: { style, targetWords: validLength ? words : DEFAULT_WORDS } }));
  };

  const revise = (draft: Draft, instruction: string) =>
    void revision.start(() => client.reviseDraft({ params: { ...params, draftId: draft.id }, body: { instruction } }));
  const reworkBlock = (draft: Draft, blockId: string, action: ReworkAction) =>
    void rework.start(() => client.reworkDraftBlock({ params: { ...params, draftId: draft.id }, body: { blockId, action } }));
  async function editBlock(draft: Draft, blockId: string, edited: { text?: string; items?: string[] }) {
    setError(null);
    try {
      const made = await client.editDraftBlock({ params: { ...params, draftId: draft.id }, body: { blockId, ...edited } });
      showNew({ result: { draftId: made.id } });
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    }
  }
  const versioning = revision.running || rework.running;

  async function accept(draft: Draft) {
    setError(null);
    try {
      const accepted = await client.acceptDraft({ params: { ...params, draftId: draft.id } });
      setAcceptNote(accepted.continuityNote ?? (accepted.continuityJob ? 'The book’s continuity notes are being updated from this draft (Continuity: the notebook icon at the top).' : null));
      drafts.reload();
    } catch (caught) {
      setError(caught);
    }
  }

  const items = drafts.data?.items ?? [];
  // While the model writes, its blocks stand where the draft will be; the saved draft replaces them once it is read
  // (not an older version in between).
  const writing = useJobPartials(job.running ? job.job?.id : null).length > 0;
  const awaitingSaved = selected !== null && drafts.loading && !items.some((d) => d.id === selected);
  const draft = writing || awaitingSaved ? null : items.find((d) => d.id === selected) ?? items.find((d) => d.accepted) ?? items[0] ?? null;
  const [generateIsNext, acceptIsNext] = [useIsNext('draft.generate'), useIsNext('draft.accept')];
  // The cost line already says why the server would refuse a draft now (say, no answers yet): the button waits.
  const quote = useQuote({ operation: 'draft.generate', bookId, chapterId, params: { style, targetWords: validLength ? words : DEFAULT_WORDS }, refusal: job.error });
  const questionText = new Map((questions.data?.items ?? []).map((q) => [q.id, q.text]));

  return (
    <div>
      <form className="aa-form" aria-label="Draft settings" onSubmit={(e) => { e.preventDefault(); if (validLength || templateMode) generate(); }}>
        <label>
          Style
          <select name="style" value={style} onChange={(e) => setStyle(e.target.value as Style)} disabled={templateMode}>
            {DRAFT_STYLES.map((s) => <option key={s} value={s}>{s[0]!.toUpperCase() + s.slice(1)}</option>)}
          </select>
        </label>
        <label>
          Target length (words)
          <input name="draftWords" inputMode="numeric" value={targetWords} onChange={(e) => setTargetWords(e.target.value)}
            aria-invalid={!validLength && !templateMode} aria-describedby="aa-draft-words-hint" disabled={templateMode} />
        </label>
        {templateMode
          ? <p id="aa-draft-words-hint" className="aa-hint aa-template-mode">{TEMPLATE_MODE_SENTENCE}: the draft is your own answers arranged as prose, with repeats merged. Style and length apply only with an AI model.</p>
          : <p id="aa-draft-words-hint" className="aa-hint">{LIMITS.draftWordsMin}–{LIMITS.draftWordsMax.toLocaleString()} words.</p>}
        <button type="submit" className={generateIsNext ? 'aa-primary' : undefined} disabled={job.running || (!validLength && !templateMode) || quote?.reason}>Write a draft</button>
        <QuoteLine quote={quote} />
      </form>
      <JobProgress job={unlessSucceeded(job.job)} label="Draft" onCancel={() => void job.cancel()} onRetry={generate}
        written={(streamed) => <WrittenDraft streamed={streamed} label="Draft being written" questionText={questionText} />} />
      {job.error ? <ErrorNotice error={job.error} onRetry={generate} onDismiss={job.clearError} /> : null}
      {drafts.error ? <ErrorNotice error={drafts.error} onRetry={drafts.reload} /> : null}
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      {items.length > 1 && (
        <label>
          Version
          <select value={draft?.id ?? ''} onChange={(e) => setSelected(e.target.value)}>
            {items.map((d) => <option key={d.id} value={d.id}>Draft {d.number} — {d.change ? `${changeSummary(d, items)}, ` : `${madeAs(d)}, `}{d.words} words{d.accepted ? ' (accepted)' : ''}</option>)}
          </select>
        </label>
      )}
      <JobProgress job={unlessSucceeded(revision.job)} label="Revision" onCancel={() => void revision.cancel()}
        written={(streamed) => <WrittenDraft streamed={streamed} label="Revision being written" questionText={questionText} />} />
      {revision.error ? <ErrorNotice error={revision.error} onDismiss={revision.clearError} /> : null}
      <JobProgress job={unlessSucceeded(rework.job)} label="Reworking a passage" onCancel={() => void rework.cancel()} />
      {rework.error ? <ErrorNotice error={rework.error} onDismiss={rework.clearError} /> : null}
      {draft && (
        <article className="aa-draft" aria-label={`Draft ${draft.number}`} data-draft-id={draft.id}>
          <div className="aa-row aa-space">
            <span>Draft {draft.number} · {draft.generatedBy.offline ? `${draft.words} words from your answers` : `${draft.style} · ${draft.words} of ${draft.targetWords} words`}</span>
            <OfflineBadge generatedBy={draft.generatedBy} />
          </div>
          {draft.change && <p className="aa-hint" data-draft-change={draft.change.kind}>{changeSummary(draft, items)}</p>}
          {draft.unsupportedBlocks > 0 && <p className="aa-warning">{draft.unsupportedBlocks} passages are not backed by your answers; they are marked.</p>}
          {draft.continuityFlags.length > 0 && (
            <p className="aa-warning" data-continuity-flags={draft.continuityFlags.length}>
              {draft.continuityFlags.length === 1 ? 'One passage contradicts' : `${draft.continuityFlags.length} passages contradict`} a note you locked in
              Continuity; {draft.continuityFlags.length === 1 ? 'it is' : 'they are'} marked and left as written. Correct your answer or the note, then
              write the draft again.{draft.generatedBy.offline ? ` ${TEMPLATE_MODE_SENTENCE} finds only numbers that differ.` : ''}
            </p>
          )}
          <p className="aa-hint">Tap a passage to see which of your answers it uses, and to rework it or edit it in your own words.</p>
          <DraftBlocks blocks={draft.blocks} questionText={questionText} flags={draft.continuityFlags}
            tools={(index) => (
              <BlockTools draft={draft} index={index} busy={versioning}
                onRework={(blockId, action) => reworkBlock(draft, blockId, action)} onEdit={(blockId, edited) => editBlock(draft, blockId, edited)} />
            )} />
          <ReviseBox key={draft.id} draft={draft} bookId={bookId} busy={versioning} templateMode={templateMode} onRevise={(instruction) => revise(draft, instruction)} />
          {items.length > 1 && (
            <button type="button" className="aa-link" aria-expanded={comparing} onClick={() => setComparing(!comparing)}>{comparing ? 'Hide the comparison' : 'Compare with another version'}</button>
          )}
          {comparing && items.length > 1 && <DraftCompare key={draft.id} draft={draft} versions={items} />}
          {draft.accepted
            ? <p className="aa-ok" role="status">Accepted: this version goes into the document when you write the chapter.{acceptNote ? ` ${acceptNote}` : ''}</p>
            : <button type="button" className={acceptIsNext ? 'aa-primary' : undefined} onClick={() => void accept(draft)}>Accept this draft</button>}
        </article>
      )}
    </div>
  );
}
