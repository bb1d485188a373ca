import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { GenerateBodySchema, GeneratedBySchema } from './ai.js';

/** What the author can ask of a passage selected in the document. */
export const PASSAGE_ACTIONS = ['rewrite', 'expand', 'shorten', 'continue'] as const;
export type PassageAction = (typeof PASSAGE_ACTIONS)[number];

/** `POST /v1/books/:bookId/passages/rework`: the selected text (paragraphs separated by newlines) and the action. */
export const ReworkPassageBodySchema = GenerateBodySchema.extend({
  action: z.enum(PASSAGE_ACTIONS),
  passage: z.string().trim().min(1).max(LIMITS.passageMaxChars),
});

/**
 * A finished `passage.rework` job's `result`: the new paragraphs (the replacement, or for `continue` what follows the
 * passage), never saved on the server; the document changes only when the author inserts them.
 */
export const PassageResultSchema = z.object({
  action: z.enum(PASSAGE_ACTIONS),
  paragraphs: z.array(z.string()),
  words: z.number().int(),
  generatedBy: GeneratedBySchema,
});
export type PassageResult = z.infer<typeof PassageResultSchema>;

/** `POST /v1/books/:bookId/chapters/:chapterId/material`: a passage that becomes material for the chapter's interview. */
export const AddMaterialBodySchema = z.object({
  passage: z.string().trim().min(1).max(LIMITS.answerMaxChars),
});
