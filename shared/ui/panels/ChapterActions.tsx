import { useState } from 'react';
import { LIMITS } from '../../limits.js';
import type { Draft } from '../../schemas/authoring.js';
import { useJob, useLoad } from '../app/hooks.js';
import { useSession } from '../app/session.js';
import { costLine, refusalOf, useActionQuotes } from '../components/action-quotes.js';
import type { ChapterOption } from '../components/ChapterPicker.js';
import { DraftBlocks, WrittenDraft } from '../components/DraftBlocks.js';
import { DraftCompare } from '../components/DraftVersionTools.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { JobProgress, unlessSucceeded } from '../components/JobProgress.js';
import { OfflineBadge } from '../components/OfflineBadge.js';
import { QuoteNote } from '../components/QuoteNote.js';
import { TEMPLATE_MODE_SENTENCE } from '../../template-mode.js';

type ChapterAction = 'rewrite' | 'expand' | 'shorten';
const ACTIONS: readonly ChapterAction[] = ['rewrite', 'expand', 'shorten'];
const LABELS: Record<ChapterAction, string> = { rewrite: 'Rewrite', expand: 'Expand', shorten: 'Shorten' };

/**
 * What each action asks of the revision (recorded with the new version). Worded so template mode (no AI model) can
 * follow them too: "again" rebuilds passages from the answers, "expand" adds from them, "shorten" keeps the opening.
 */
const INSTRUCTIONS: Record<ChapterAction, string> = {
  rewrite: 'Write this chapter again in fresh words, saying the same things',
  expand: 'Expand this chapter with more detail from my answers',
  shorten: 'Shorten this chapter, keeping what matters most',
};

/**
 * Rewrite, expand or shorten a chapter already in the document, or revise it by the author's own instruction: a new
 * version is made from its accepted draft (`POST …/drafts/:draftId/revise`) and shown here while it is written and
 * when done. Only "Replace in the document" accepts it and writes the chapter (the writer still refuses a chapter the
 * author edited in the document); "Discard" leaves the accepted draft as it was, the new version kept in its history.
 */
export function ChapterActions({ bookId, chapter, acceptedDraftId, busy, onReplace, onClose }: {
  bookId: string; chapter: ChapterOption; acceptedDraftId: string; busy: boolean;
  onReplace: (draft: Draft) => void; onClose: () => void;
}) {
  const { client } = useSession();
  const params = { bookId, chapterId: chapter.id };
  const [instruction, setInstruction] = useState('');
  const [startedJob, setStartedJob] = useState<string | null>(null);
  const job = useJob('draft.revise', bookId, chapter.id);
  const templateMode = useLoad(() => client.meta(), [client]).data?.ai.offline === true;
  const questions = useLoad(() => client.listQuestions({ params, query: { limit: LIMITS.pageLimitMax } }), [client, bookId, chapter.id]);
  const questionText = new Map((questions.data?.items ?? []).map((q) => [q.id, q.text]));
  const revisionOf = (asked: string) => ({ operation: 'draft.revise' as const, bookId, chapterId: chapter.id, params: { draftId: acceptedDraftId, instruction: asked } });
  const quotes = useActionQuotes(ACTIONS, (action) => revisionOf(INSTRUCTIONS[action]));
  const asked = instruction.trim();

  // Only a version made here, from the accepted draft, is offered for the document.
  const mine = job.job?.id === startedJob ? job.job : null;
  const madeId = mine?.status === 'succeeded' && typeof mine.result?.draftId === 'string' ? mine.result.draftId : null;
  const made = useLoad<[Draft, Draft] | null>(() => (madeId
    ? Promise.all([client.getDraft({ params: { ...params, draftId: madeId } }), client.getDraft({ params: { ...params, draftId: acceptedDraftId } })])
    : Promise.resolve(null)), [client, madeId, acceptedDraftId]);
  const [version, accepted] = made.data ?? [null, null];
  const [comparing, setComparing] = useState(false);

  const revise = (text: string) => {
    setComparing(false);
    void job.start(async () => {
      const started = await client.reviseDraft({ params: { ...params, draftId: acceptedDraftId }, body: { instruction: text } });
      setStartedJob(started.job.id);
      return started;
    });
  };
  const working = busy || job.running;

  return (
    <section className="aa-chapter-actions" aria-label={`Change ${chapter.title}`}>
      <p className="aa-hint">A new version is made from the accepted draft and shown here. The document changes only when you replace the chapter with it.</p>
      <div className="aa-row" role="group" aria-label="Actions on the chapter">
        {ACTIONS.map((action) => (
          <button key={action} type="button" disabled={working || refusalOf(quotes[action]) !== null} title={refusalOf(quotes[action]) ?? undefined}
            onClick={() => revise(INSTRUCTIONS[action])}>{LABELS[action]}</button>
        ))}
      </div>
      <p className="aa-quote" data-quote={costLine(quotes) ? 'cost' : undefined}>{costLine(quotes) ?? '\u00a0'}</p>
      {ACTIONS.map((action) => refusalOf(quotes[action]) && <p key={action} className="aa-hint" data-refused={action}>{LABELS[action]}: {refusalOf(quotes[action])}</p>)}
      <form className="aa-form" aria-label="Revise the chapter in your own words" onSubmit={(e) => { e.preventDefault(); if (asked) revise(asked); }}>
        <label>
          Or say what to change
          <input name="chapterInstruction" dir="auto" maxLength={LIMITS.revisionInstructionMax} value={instruction}
            onChange={(e) => setInstruction(e.target.value)} placeholder="e.g. warmer, fewer examples" />
        </label>
        {templateMode && (
          <p className="aa-hint aa-template-mode">
            {TEMPLATE_MODE_SENTENCE}: rewrite rebuilds passages from your answers’ own words, expand adds details from your answers, shorten keeps
            the opening sentences of each passage. Other instructions need an AI model.
          </p>
        )}
        <button type="submit" disabled={working || !asked}>Revise</button>
        {asked && <QuoteNote operation="draft.revise" bookId={bookId} chapterId={chapter.id} params={revisionOf(asked).params} />}
      </form>
      <JobProgress job={unlessSucceeded(mine)} label="New version" onCancel={() => void job.cancel()}
        written={(streamed) => <WrittenDraft streamed={streamed} label="New version being written" questionText={questionText} />} />
      {job.error ? <ErrorNotice error={job.error} onDismiss={job.clearError} /> : null}
      {made.error ? <ErrorNotice error={made.error} onRetry={made.reload} /> : null}
      {version && accepted && (
        <article className="aa-draft" aria-label="New version" data-draft-id={version.id}>
          <div className="aa-row aa-space">
            <strong>New version (draft {version.number}): {version.words} words; the accepted one has {accepted.words}</strong>
            <OfflineBadge generatedBy={version.generatedBy} />
          </div>
          <p className="aa-hint" dir="auto">Asked: “{version.change?.instruction ?? ''}”. Not in the document yet.</p>
          <DraftBlocks blocks={version.blocks} questionText={questionText} flags={version.continuityFlags} />
          <button type="button" className="aa-link" aria-expanded={comparing} onClick={() => setComparing(!comparing)}>
            {comparing ? 'Hide the comparison' : 'Compare with the accepted version'}
          </button>
          {comparing && <DraftCompare draft={version} versions={[accepted, version]} />}
          <div className="aa-row">
            <button type="button" className="aa-primary" disabled={busy} onClick={() => onReplace(version)}>Replace in the document</button>
            <button type="button" className="aa-link" disabled={busy} onClick={() => { setStartedJob(null); onClose(); }}>Discard</button>
          </div>
          <p className="aa-hint">Discard keeps the accepted version; this one stays among the chapter’s drafts (Draft panel).</p>
        </article>
      )}
    </section>
  );
}
