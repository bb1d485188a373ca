import type { docs_v1 } from '@googleapis/docs';
import { z } from 'zod';

// The parts of a `documents.get` answer the reader walks, checked before anything is read or written from it: an
// answer of another shape (a proxy's HTML page, cut JSON, a changed API) must never read as an empty document.
// Loose objects: Google adds fields over time, and only these ones are relied on.

const index = z.number().int().min(0).optional();

const ParagraphElementSchema = z.looseObject({
  startIndex: index,
  endIndex: index,
  textRun: z.looseObject({ content: z.string().optional() }).optional(),
});

const ParagraphSchema = z.looseObject({
  elements: z.array(ParagraphElementSchema).optional(),
  paragraphStyle: z.looseObject({ namedStyleType: z.string().optional() }).optional(),
  bullet: z.looseObject({ listId: z.string().optional(), nestingLevel: z.number().int().optional() }).optional(),
});

type StructuralElement = { startIndex?: number; endIndex?: number; paragraph?: unknown; table?: unknown };
const StructuralElementSchema: z.ZodType<StructuralElement> = z.lazy(() =>
  z.looseObject({
    startIndex: index,
    endIndex: index,
    paragraph: ParagraphSchema.optional(),
    table: z
      .looseObject({
        tableRows: z.array(z.looseObject({ tableCells: z.array(z.looseObject({ content: z.array(StructuralElementSchema).optional() })).optional() })).optional(),
      })
      .optional(),
  }),
);

const BodySchema = z.looseObject({ content: z.array(StructuralElementSchema) });

const NamedRangesSchema = z.record(
  z.string(),
  z.looseObject({
    namedRanges: z
      .array(z.looseObject({ namedRangeId: z.string().optional(), ranges: z.array(z.looseObject({ startIndex: index, endIndex: index })).optional() }))
      .optional(),
  }),
);

type Tab = { tabProperties?: unknown; documentTab?: unknown; childTabs?: Tab[] };
const TabSchema: z.ZodType<Tab> = z.lazy(() =>
  z.looseObject({
    tabProperties: z.looseObject({ tabId: z.string().optional(), title: z.string().optional() }).optional(),
    documentTab: z.looseObject({ body: BodySchema, namedRanges: NamedRangesSchema.optional() }).optional(),
    childTabs: z.array(TabSchema).optional(),
  }),
);

const DocumentSchema = z
  .looseObject({
    documentId: z.string().min(1),
    title: z.string().optional(),
    revisionId: z.string().optional(),
    body: BodySchema.optional(),
    namedRanges: NamedRangesSchema.optional(),
    tabs: z.array(TabSchema).optional(),
  })
  .refine((doc) => doc.body !== undefined || (doc.tabs?.length ?? 0) > 0, { message: 'has neither tabs nor a body' });

/** The document when `data` has the shape of a Docs document, else null (with what was wrong, for the log). */
export function checkDocument(data: unknown): { doc: docs_v1.Schema$Document; problem: null } | { doc: null; problem: string } {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { doc: null, problem: `not a JSON object but ${typeof data === 'string' ? `text starting ${JSON.stringify(data.slice(0, 40))}` : typeof data}` };
  }
  const parsed = DocumentSchema.safeParse(data);
  if (parsed.success) return { doc: data as docs_v1.Schema$Document, problem: null };
  const issue = parsed.error.issues[0]!;
  return { doc: null, problem: `${issue.path.join('.') || 'document'}: ${issue.message}` };
}
