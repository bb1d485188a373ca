import { useEffect, useState } from 'react';
import type { TocProposal } from '../../schemas/authoring.js';
import type { Toc } from '../../schemas/chapters.js';
import { useJob } from '../app/hooks.js';
import { useIsNext } from '../app/guide.js';
import { useSession } from '../app/session.js';
import { diffProposal } from '../core/toc-edit.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { JobProgress, unlessSucceeded } from '../components/JobProgress.js';
import { OfflineBadge } from '../components/OfflineBadge.js';
import { QuoteLine, useQuote } from '../components/QuoteNote.js';
import { writtenChapter, writtenItems } from '../core/written-items.js';
import { STORAGE_KEYS } from '../panel-host.js';

const MARK = { added: '+', kept: '=', renamed: '~', 'left-out': '−' } as const;
const SAY = { added: 'new', kept: 'kept', renamed: 'renamed', 'left-out': 'left out: archived unless it holds your material' } as const;

/** Proposes a TOC (job), shows what applying it would change, and applies it on request. */
export function TocProposalView({ bookId, toc, onApplied }: { bookId: string; toc: Toc; onApplied: (toc: Toc) => void }) {
  const { client, host, touched } = useSession();
  const proposeIsNext = useIsNext('toc.propose');
  const applyIsNext = useIsNext('toc.apply');
  const [proposal, setProposal] = useState<TocProposal | null>(null);
  const [kept, setKept] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  /** Shows a proposal while it is pending; `keep` stores it as the book's pending proposal, which the next step reads. */
  async function load(proposalId: string, keep = false) {
    try {
      const loaded = await client.getProposal({ params: { bookId, proposalId } });
      const pending = loaded.status === 'pending';
      setProposal(pending ? loaded : null);
      if (keep && pending) void host.settings.set(STORAGE_KEYS.proposal(bookId), proposalId).then(touched);
    } catch (caught) {
      setError(caught);
    }
  }
  const remember = (proposalId: string) => {
    void host.settings.set(STORAGE_KEYS.proposal(bookId), proposalId).then(touched);
    setKept(null);
    void load(proposalId);
  };
  const job = useJob('toc.generate', bookId, null, (done) => {
    if (typeof done.result?.proposalId === 'string') remember(done.result.proposalId);
  });

  // A proposal survives closing the panel: the stored one, else the last generation's (made before a reload, or on
  // another surface: kept, so the next step offers to apply it), unless the author dismissed that one.
  const lastResult = job.job?.status === 'succeeded' && typeof job.job.result?.proposalId === 'string' ? job.job.result.proposalId : null;
  useEffect(() => {
    void Promise.all([
      host.settings.get<string>(STORAGE_KEYS.proposal(bookId)), host.settings.get<string>(STORAGE_KEYS.dismissedProposal(bookId)),
    ]).then(([stored, dismissed]) => {
      if (stored) void load(stored);
      else if (lastResult && lastResult !== dismissed) void load(lastResult, true);
    });
  }, [bookId, lastResult]);

  function dismiss(dismissed: TocProposal) {
    setProposal(null);
    void host.settings.remove(STORAGE_KEYS.proposal(bookId))
      .then(() => host.settings.set(STORAGE_KEYS.dismissedProposal(bookId), dismissed.id))
      .then(touched);
  }

  async function apply() {
    if (!proposal) return;
    setBusy(true);
    setError(null);
    try {
      const result = await client.applyProposal({ params: { bookId, proposalId: proposal.id }, body: { version: toc.version } });
      const titles = new Map(result.toc.chapters.flatMap((c) => [[c.id, c.title] as const, ...c.children.map((s) => [s.id, s.title] as const)]));
      setKept(result.kept.map((id) => titles.get(id) ?? id));
      setProposal(null);
      await host.settings.remove(STORAGE_KEYS.proposal(bookId));
      onApplied(result.toc);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  // The cost line already says why the server would refuse a proposal now (say, the brief is not ready): the button waits.
  const quote = useQuote({ operation: 'toc.generate', bookId, refusal: job.error });
  const generate = () => void job.start(() => client.generateToc({ params: { bookId }, body: {} }));
  const rows = proposal ? diffProposal(toc, proposal) : [];
  return (
    <section aria-label="Proposal" className="aa-subsection">
      <button type="button" className={proposeIsNext ? 'aa-primary' : undefined} onClick={generate} disabled={job.running || quote?.reason}>Propose a table of contents</button>
      <QuoteLine quote={quote} />
      <JobProgress job={unlessSucceeded(job.job)} label="Proposal" onCancel={() => void job.cancel()} onRetry={generate}
        written={(streamed) => (
          <ol className="aa-proposal-writing" aria-label="Chapters being proposed">
            {writtenItems(streamed, writtenChapter).map((chapter, i) => (
              <li key={i}>
                <span dir="auto">{chapter.title}</span>
                {chapter.description && <span className="aa-muted" dir="auto"> — {chapter.description}</span>}
                {chapter.sections.length > 0 && <ul>{chapter.sections.map((title, j) => <li key={j} dir="auto">{title}</li>)}</ul>}
              </li>
            ))}
          </ol>
        )} />
      {job.error ? <ErrorNotice error={job.error} onRetry={generate} onDismiss={job.clearError} /> : null}
      {proposal && (
        <div className="aa-proposal">
          <h3>Proposed changes <OfflineBadge generatedBy={proposal.generatedBy} /></h3>
          <ul className="aa-diff" aria-label="Differences from the current table of contents">
            {rows.map((row, i) => (
              <li key={i} className={`aa-diff-${row.kind}${row.section ? ' aa-diff-section' : ''}`}>
                <span aria-hidden="true" className="aa-diff-mark">{MARK[row.kind]}</span>{' '}
                <span className="aa-diff-title" dir="auto">{row.title}</span>
                <span className="aa-muted"> ({row.kind === 'renamed' ? `renamed from “${row.from}”` : SAY[row.kind]})</span>
              </li>
            ))}
          </ul>
          <div className="aa-row">
            <button type="button" className={applyIsNext ? 'aa-primary' : undefined} onClick={() => void apply()} disabled={busy}>Apply proposal</button>
            <button type="button" className="aa-link" onClick={() => dismiss(proposal)}>Dismiss</button>
          </div>
        </div>
      )}
      {kept && kept.length > 0 && (
        <p role="status" dir="auto">Kept because they hold your material: {kept.join(', ')}.</p>
      )}
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
    </section>
  );
}
