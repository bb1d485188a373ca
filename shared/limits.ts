/** Named limits shared by the API (validation) and the panels (counters, hints). */
export const LIMITS = {
  /** Job event streams one user may hold open on one server. */
  eventStreamsPerUser: 20,
  bookTitleMax: 300,
  bookSubtitleMax: 300,
  bookDescriptionMax: 5_000,
  bookGenreMax: 100,
  bookAudienceMax: 1_000,
  bookLanguageMax: 35,
  bookTargetWordsMin: 1_000,
  bookTargetWordsMax: 1_000_000,
  /** The author's standing instructions for every draft and revision ("British spelling", "no bullet lists"). */
  standingInstructionsMax: 1_000,
  documentIdMax: 200,
  summaryMaxChars: 20_000,
  summaryHistory: 20,
  chapterTitleMax: 300,
  chapterDescriptionMax: 2_000,
  tocDepth: 2,
  booksPerUser: 100,
  chaptersPerBook: 200,
  pageLimitDefault: 20,
  pageLimitMax: 100,
  cursorMax: 200,
  emailMax: 254,
  userNameMax: 200,
  tokenLabelMax: 100,
  googleIdTokenMax: 8_192,
  googleTokensPerClient: 10,
  googleTokenTtlDays: 30,
  trashDays: 30,
  answerMaxChars: 20_000,
  answerHistory: 10,
  batchAnswersMax: 100,
  interviewQuestionsMin: 3,
  interviewQuestionsMax: 6,
  questionsMin: 5,
  questionsMax: 20,
  questionsDefault: 8,
  regenerationsMax: 5,
  draftWordsMin: 300,
  draftWordsMax: 8_000,
  draftSectionWords: 1_200,
  draftsPerChapter: 50,
  /** Follow-up questions a question may have (one, grounded in its final answer). */
  followUpsPerQuestion: 1,
  /** The author's voice sample: a style reference kept with the book, never used as material. */
  voiceSampleMaxChars: 3_000,
  continuityNotesPerBook: 500,
  /** Deleted continuity notes a book remembers so extractions never bring them back (past it, the oldest are forgotten). */
  continuityDeletionsRemembered: 500,
  continuitySubjectMax: 200,
  continuityDetailMax: 1_000,
  /** Notes one extraction keeps from one accepted draft. */
  continuityNotesPerChapter: 40,
  /** Continuity notes a draft prompt carries (locked ones first, then those the chapter's material names). */
  continuityNotesInDraft: 40,
  /** Earlier chapters recapped in a draft prompt ("previously"), and the characters of each recap. */
  recapChapters: 8,
  recapCharsPerChapter: 600,
  /** A passage selected in the document for an action (rewrite, expand, shorten, continue). */
  passageMaxChars: 10_000,
  /** An instruction for a revision ("shorter", "warmer", or the author's own words). */
  revisionInstructionMax: 500,
  /** Blocks one revision may be limited to (`blockIds`). */
  revisionBlocksMax: 50,
  /** A block the author edits by hand: its text, or each item of a list. */
  blockTextMax: 20_000,
  listItemsMax: 100,
  /** Days an exported file is kept for download. */
  exportRetentionDays: 7,
} as const;
