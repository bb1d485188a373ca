import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import { chapterOptions } from '../components/ChapterPicker.js';
import { expectsAnswer } from '../../follow-up.js';
import { nextStep, stepStates, type BookOverview, type JourneyPanel, type NextStep, type StepState } from '../core/next-step.js';
import { STORAGE_KEYS } from '../panel-host.js';
import { useSession } from './session.js';

/** A panel of the app: the journey's, plus Export, Continuity, Connect and Usage. */
export type PanelId = JourneyPanel | 'export' | 'continuity' | 'connect' | 'usage';

/** What every panel knows of the journey: where the book stands, the next step, and a way to go there. */
export interface Guide {
  panel: PanelId;
  overview: BookOverview | null;
  next: NextStep | null;
  states: Record<JourneyPanel, StepState> | null;
  /** Opens a panel (and chapter), as the next-step buttons do. */
  go(panel: PanelId, chapterId?: string | null): void;
}

const GuideContext = createContext<Guide>({ panel: 'book', overview: null, next: null, states: null, go: () => undefined });

/** The journey as the panels see it (a no-op guide outside the app shell). */
export const useGuide = (): Guide => useContext(GuideContext);
export const GuideProvider = GuideContext.Provider;

/** True when `action` is the book's next step: that button is the panel's one filled, primary button. */
export function useIsNext(action: NextStep['action']): boolean {
  return useGuide().next?.action === action;
}

/**
 * Where the open book stands, re-read after every change the author makes (the session's revision): brief
 * readiness, interview answers, a pending proposal, and per chapter its questions, answers, drafts, acceptance and
 * whether it was written (the API's record of doc writes, or the host's local preview).
 */
export function useBookOverview(bookId: string | null): BookOverview | null {
  const { client, host, revision, connection } = useSession();
  const [overview, setOverview] = useState<{ bookId: string; data: BookOverview } | null>(null);
  useEffect(() => {
    if (!bookId) return;
    let live = true;
    const params = { bookId };
    // Coalesce a burst of changes (an autosave per field) into one read.
    const timer = setTimeout(() => {
      void Promise.all([
        client.getReadiness({ params }), client.getInterview({ params }), client.getToc({ params }), client.bookProgress({ params }),
        client.docStatus({ params }).catch(() => null), host.readDocPreview?.(bookId) ?? null, host.settings.get<string>(STORAGE_KEYS.proposal(bookId)),
      ]).then(([readiness, interview, toc, progress, docStatus, preview, proposalId]) => {
        const written = new Set([...(docStatus?.chapters ?? []), ...(preview?.chapters ?? [])].map((c) => c.chapterId));
        const byId = new Map(progress.chapters.map((c) => [c.chapterId, c]));
        const data: BookOverview = {
          briefReady: readiness.ready,
          interviewQuestions: interview.questions.filter((q) => expectsAnswer(q, q.status !== 'unanswered')).length,
          interviewAnswered: interview.answered,
          proposalPending: Boolean(proposalId),
          chapters: chapterOptions(toc).map((c) => {
            const p = byId.get(c.id);
            return {
              chapterId: c.id, title: c.title, questions: p?.questions ?? 0, answered: p?.answered ?? 0, drafts: p?.drafts ?? 0,
              accepted: Boolean(p?.acceptedDraftId), written: written.has(c.id),
            };
          }),
        };
        if (live) setOverview({ bookId, data });
      }, () => undefined);
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // Read again after every change, and when the server answers again after an outage.
  }, [client, host, bookId, revision, connection.epoch]);
  return bookId && overview?.bookId === bookId ? overview.data : null;
}

/** The guide for the app shell: the overview, its next step and per-panel states. */
export function useGuideValue(bookId: string | null, panel: PanelId, go: Guide['go']): Guide {
  const overview = useBookOverview(bookId);
  return useMemo(() => ({
    panel, overview, go,
    next: overview ? nextStep(overview) : null,
    states: overview ? stepStates(overview) : null,
  }), [overview, panel, go]);
}
