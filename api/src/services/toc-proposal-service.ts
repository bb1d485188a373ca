import { newId } from '../../../shared/ids.js';
import { LIMITS } from '../../../shared/limits.js';
import type { PutTocBody } from '../../../shared/schemas/chapters.js';
import type { AiGateway } from '../ai/ai-gateway.js';
import { tocTask, type TocInput } from '../ai/tasks/toc-task.js';
import { conflict, notFound, AppError } from '../lib/app-error.js';
import { presentProposal } from '../lib/authoring-presenters.js';
import type { ProposalRecord } from '../stores/engine-types.js';
import type { ChapterRecord, Store, UserRecord } from '../stores/types.js';
import { launchJob, reservationFor, requireReadyBrief, type JobPlan, type LaunchMode } from './ai-jobs.js';
import { briefOf, withAnswers } from './authoring-context.js';
import type { BooksService } from './books-service.js';
import type { ChaptersService } from './chapters-service.js';
import { isoNow, type Clock } from './clock.js';
import type { JobsService } from './jobs-service.js';
import { mergeToc } from './toc-merge.js';
import { activeTree } from './toc-tree.js';

/** TOC proposals: generated into a stored proposal, applied by merging by id without losing material. */
export function createTocProposalService(deps: {
  store: Store; books: BooksService; chapters: ChaptersService; jobs: JobsService; ai: AiGateway; clock: Clock;
}) {
  const { store, books, chapters, jobs, ai, clock } = deps;

  /**
   * Chapters that hold author material (answers, drafts, work in progress, or a title the author wrote
   * themselves): never dropped or overwritten.
   */
  async function withMaterial(bookId: string, all: ChapterRecord[]): Promise<Set<string>> {
    const ids = new Set([...(await store.answers.chaptersWithAnswers(bookId)), ...(await store.drafts.chaptersWithDrafts(bookId))]);
    for (const chapter of all) if (chapter.status !== 'planned' || chapter.authoredAt) ids.add(chapter.id);
    return ids;
  }

  async function plan(user: UserRecord, bookId: string, fresh: boolean): Promise<JobPlan> {
    const book = await books.requireBook(user.id, bookId);
    requireReadyBrief(book);
    const all = await store.chapters.listByBook(bookId);
    const material = await withMaterial(bookId, all);
    const active = activeTree(all).flatMap(({ chapter, children }) => [chapter, ...children]);
    const interviewQs = await store.questions.list(bookId, null);
    const interview = withAnswers(interviewQs, await store.answers.listByQuestions(interviewQs.map((q) => q.id)))
      .filter((pair) => pair.status !== 'unanswered')
      .map((pair) => ({ question: pair.question.text, answer: pair.answer!.text }));
    const refToId = new Map(active.map((chapter, index) => [`C${index + 1}`, chapter.id]));
    const input: TocInput = {
      brief: briefOf(book), interview,
      existing: active.map((chapter, index) => ({
        ref: `C${index + 1}`,
        parentRef: chapter.parentId ? `C${active.findIndex((c) => c.id === chapter.parentId) + 1}` : null,
        title: chapter.title, description: chapter.description, hasMaterial: material.has(chapter.id),
      })),
    };
    return {
      reserve: () => reservationFor(ai, tocTask, input, { userId: user.id, fresh }),
      work: async (ctx) => {
        await ctx.progress(10, 'asking the model');
        // Chapters are shown as the model writes them (titles only: its refs to existing chapters are internal).
        const onItem = (at: number, item: unknown) => {
          const chapter = item as { title: string; description: string | null; sections: Array<{ title: string }> };
          ctx.item(at, { title: chapter.title, description: chapter.description, sections: chapter.sections.map((s) => s.title) });
        };
        const { output, generatedBy } = await ai.run(tocTask, input, { userId: user.id, bookId, jobId: ctx.jobId, fresh, signal: ctx.signal, onItem });
        const used = new Set<string>();
        // A ref the model invented, or used twice, becomes a new chapter rather than hijacking another.
        const idOf = (ref: string | null) => {
          const id = ref ? refToId.get(ref) : undefined;
          if (!id || used.has(id)) return null;
          used.add(id);
          return id;
        };
        const proposal: ProposalRecord = {
          id: newId('proposal'), bookId, basedOnTocVersion: book.tocVersion, status: 'pending', generatedBy, createdAt: isoNow(clock),
          chapters: output.chapters.slice(0, LIMITS.chaptersPerBook).map((c) => ({
            id: idOf(c.ref), title: c.title, description: c.description,
            children: c.sections.map((s) => ({ id: idOf(s.ref), title: s.title, description: s.description })),
          })),
        };
        await store.proposals.create(proposal);
        return { proposalId: proposal.id };
      },
    };
  }

  jobs.handle('toc.generate', async (user, job) => (await plan(user, job.bookId, job.params.fresh === true)).work);

  return {
    generate: (user: UserRecord, bookId: string, fresh: boolean, mode: LaunchMode = 'start') =>
      plan(user, bookId, fresh).then((planned) =>
        launchJob(jobs, mode, { user, kind: 'toc.generate', bookId, chapterId: null, targetId: bookId, params: { fresh } }, planned)),

    async get(userId: string, bookId: string, proposalId: string) {
      await books.requireBook(userId, bookId);
      const proposal = await store.proposals.get(bookId, proposalId);
      if (!proposal) throw notFound('proposal');
      return presentProposal(proposal);
    },

    /**
     * Merges the proposal into the TOC by id. A chapter with material keeps its title and description; one the
     * proposal leaves out stays (appended at the end) and is listed in `kept`.
     */
    async apply(userId: string, bookId: string, proposalId: string, version: number | undefined) {
      const book = await books.requireBook(userId, bookId);
      const proposal = await store.proposals.get(bookId, proposalId);
      if (!proposal) throw notFound('proposal');
      if (version !== undefined && version !== book.tocVersion) throw conflict('table of contents', await chapters.getToc(userId, bookId));
      const all = await store.chapters.listByBook(bookId);
      const byId = new Map(all.map((chapter) => [chapter.id, chapter]));
      const material = await withMaterial(bookId, all);
      const item = (entry: { id: string | null; title: string; description: string | null }) => {
        const current = entry.id ? byId.get(entry.id) : undefined;
        if (current && material.has(current.id)) return { id: current.id, title: current.title, description: current.description };
        return { ...(current ? { id: current.id } : {}), title: entry.title, description: entry.description };
      };
      const body: PutTocBody = {
        version: book.tocVersion,
        chapters: proposal.chapters.map((c) => ({ ...item(c), children: c.children.map(item) })),
      };
      const placed = new Set(body.chapters.flatMap((c) => [c.id, ...(c.children ?? []).map((s) => s.id)]).filter(Boolean));
      const kept: string[] = [];
      for (const { chapter, children } of activeTree(all)) {
        for (const candidate of [chapter, ...children]) {
          if (placed.has(candidate.id) || !material.has(candidate.id)) continue;
          const parent = candidate.parentId ? body.chapters.find((c) => c.id === candidate.parentId) : undefined;
          const entry = { id: candidate.id, title: candidate.title, description: candidate.description };
          if (parent) (parent.children ??= []).push(entry);
          else body.chapters.push({ ...entry, children: [] });
          kept.push(candidate.id);
        }
      }
      const changes = mergeToc(all, body, bookId, isoNow(clock), { authored: false });
      const result = await store.chapters.applyStructure(bookId, changes, { expectedTocVersion: book.tocVersion, maxPerBook: LIMITS.chaptersPerBook, at: isoNow(clock) });
      if (!result.ok) {
        if (result.reason === 'limit') throw new AppError('LIMIT_REACHED', `A book can hold at most ${LIMITS.chaptersPerBook} chapters and sections.`);
        throw conflict('table of contents', await chapters.getToc(userId, bookId));
      }
      await store.proposals.markApplied(proposal.id);
      return { toc: await chapters.getToc(userId, bookId), kept };
    },
  };
}
