import { z } from 'zod';

/** Where a drafted block's material came from: an answer, at the version the draft used. */
export const BlockSourceSchema = z.object({ questionId: z.string(), answerVersion: z.number().int() });

/** True when the author wrote this block by hand in a draft version (kept as theirs in later versions); absent otherwise. */
const authored = z.boolean().optional();

const sourced = {
  sources: z.array(BlockSourceSchema),
  /** True when no author answer supports this block (shown flagged in the panels). */
  unsupported: z.boolean(),
  authored,
};

export const HeadingBlockSchema = z.object({ type: z.literal('heading'), level: z.union([z.literal(2), z.literal(3)]), text: z.string(), authored });
export const ParagraphBlockSchema = z.object({ type: z.literal('paragraph'), text: z.string(), ...sourced });
export const ListBlockSchema = z.object({ type: z.literal('list'), ordered: z.boolean(), items: z.array(z.string()).min(1), ...sourced });
export const QuoteBlockSchema = z.object({ type: z.literal('quote'), text: z.string(), ...sourced });

/** One block of a chapter: the unit drafts are stored in and documents are written from. */
export const BlockSchema = z.discriminatedUnion('type', [HeadingBlockSchema, ParagraphBlockSchema, ListBlockSchema, QuoteBlockSchema]);
export type Block = z.infer<typeof BlockSchema>;
