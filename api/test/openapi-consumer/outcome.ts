/** What the generated client's journey reached, for the test to check (kept apart from the generated types). */
export interface JourneyOutcome {
  bookId: string;
  interviewQuestions: number;
  chapterId: string;
  questions: number;
  acceptedDraftId: string;
  draftOffline: boolean;
  monthCalls: number;
  monthCostUsd: number;
}

/** The journey's entry point (journey.ts, loaded once its types are generated). */
export type RunJourney = (baseUrl: string, token: string, summary: string) => Promise<JourneyOutcome>;
