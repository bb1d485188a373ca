// documents.batchUpdate: each request runs against the document the previous one left, on a copy
// that replaces the stored document only when every request succeeded (Google's atomic batches).
import { DocsApiError, invalidRequest } from './errors.js';
import { deleteRange, insertAt, insertionPoint, insertText, RequestFault, fault } from './edits.js';
import { createParagraphBullets, deleteParagraphBullets } from './lists.js';
import { findTab, layout, newRevisionId, type DocModel, type Json, type Tab } from './model.js';
import { createNamedRange, deleteNamedRange, replaceAllText, replaceNamedRangeContent } from './named-ranges.js';
import { updateParagraphStyle, updateTextStyle } from './styles.js';

type Reply = Json;
type Handler = (doc: DocModel, body: Json) => Reply;

interface Location { index?: number; segmentId?: string; tabId?: string }
interface RangeJson { startIndex?: number; endIndex?: number; segmentId?: string; tabId?: string }

/** Tab named by a location or range; segments other than the body are not emulated. */
function tabOf(doc: DocModel, where: { segmentId?: unknown; tabId?: unknown } | undefined): Tab {
  if (where?.segmentId) {
    fault(`Segment with ID ${String(where.segmentId)} was not found. The Docs emulator only edits the body segment.`);
  }
  const tabId = where?.tabId;
  if (tabId !== undefined && typeof tabId !== 'string') fault('tabId must be a string.');
  return findTab(doc, tabId as string | undefined) ?? fault(`The tab with ID '${String(tabId)}' was not found.`);
}

/** proto3 JSON omits zero, so a missing index means 0. */
const num = (v: unknown) => (v === undefined || v === null ? 0 : typeof v === 'number' ? v : Number(v));

function rangeOf(doc: DocModel, range: RangeJson | undefined): { tab: Tab; start: number; end: number } {
  if (!range || typeof range !== 'object') return fault('range must be set.');
  return { tab: tabOf(doc, range), start: num(range.startIndex), end: num(range.endIndex) };
}

/** Index for location | endOfSegmentLocation (immediately before the segment's last newline). */
function insertionOf(doc: DocModel, body: Json): { tab: Tab; index: number } {
  const location = body.location as Location | undefined;
  const end = body.endOfSegmentLocation as Location | undefined;
  if ((location === undefined) === (end === undefined)) fault('Exactly one of location or endOfSegmentLocation must be set.');
  if (location) return { tab: tabOf(doc, location), index: num(location.index) };
  const tab = tabOf(doc, end);
  return { tab, index: layout(tab).end - 1 };
}

const HANDLERS: Record<string, Handler> = {
  insertText(doc, body) {
    const { tab, index } = insertionOf(doc, body);
    if (typeof body.text !== 'string' || body.text === '') fault('The text to insert must not be empty.');
    insertText(tab, index, body.text as string);
    return {};
  },
  deleteContentRange(doc, body) {
    const { tab, start, end } = rangeOf(doc, body.range as RangeJson);
    deleteRange(tab, start, end);
    return {};
  },
  updateParagraphStyle(doc, body) {
    const { tab, start, end } = rangeOf(doc, body.range as RangeJson);
    updateParagraphStyle(tab, start, end, (body.paragraphStyle as Json) ?? {}, body.fields);
    return {};
  },
  updateTextStyle(doc, body) {
    const { tab, start, end } = rangeOf(doc, body.range as RangeJson);
    updateTextStyle(tab, start, end, (body.textStyle as Json) ?? {}, body.fields);
    return {};
  },
  createParagraphBullets(doc, body) {
    const { tab, start, end } = rangeOf(doc, body.range as RangeJson);
    createParagraphBullets(tab, start, end, body.bulletPreset);
    return {};
  },
  deleteParagraphBullets(doc, body) {
    const { tab, start, end } = rangeOf(doc, body.range as RangeJson);
    deleteParagraphBullets(tab, start, end);
    return {};
  },
  createNamedRange(doc, body) {
    const { tab, start, end } = rangeOf(doc, body.range as RangeJson);
    return { createNamedRange: { namedRangeId: createNamedRange(doc, tab, body.name, start, end) } };
  },
  deleteNamedRange(doc, body) {
    deleteNamedRange(doc, body);
    return {};
  },
  replaceNamedRangeContent(doc, body) {
    replaceNamedRangeContent(doc, body);
    return {};
  },
  replaceAllText(doc, body) {
    const occurrencesChanged = replaceAllText(doc, body);
    return { replaceAllText: occurrencesChanged ? { occurrencesChanged } : {} };
  },
  insertPageBreak(doc, body) {
    const { tab, index } = insertionOf(doc, body);
    insertionPoint(tab, index); // validates before building the elements
    const pageBreak = { kind: 'opaque' as const, length: 1, json: { pageBreak: { textStyle: {} } } };
    insertAt(tab, index, [pageBreak, { kind: 'text', text: '\n', style: {}, extra: {} }]);
    return {};
  },
};

/** Request kinds of the Docs API this emulator does not implement (a clear 400 instead of silence). */
const UNSUPPORTED = new Set([
  'insertInlineImage', 'insertTable', 'insertTableRow', 'insertTableColumn', 'deleteTableRow', 'deleteTableColumn',
  'deletePositionedObject', 'updateTableColumnProperties', 'updateTableCellStyle', 'updateTableRowStyle', 'replaceImage',
  'updateDocumentStyle', 'mergeTableCells', 'unmergeTableCells', 'createHeader', 'createFooter', 'createFootnote',
  'deleteHeader', 'deleteFooter', 'pinTableHeaderRows', 'updateSectionStyle', 'insertSectionBreak', 'insertPerson',
  'insertDate', 'addDocumentTab', 'deleteTab', 'updateDocumentTabProperties',
]);

function applyOne(doc: DocModel, request: unknown, i: number): Reply {
  if (!request || typeof request !== 'object' || Array.isArray(request)) {
    throw new DocsApiError(400, `Invalid JSON payload received. Expected an object at 'requests[${i}]'.`);
  }
  const kinds = Object.keys(request);
  if (kinds.length === 0) throw new DocsApiError(400, `Invalid requests[${i}]: No request set.`);
  if (kinds.length > 1) {
    throw new DocsApiError(400, `Invalid JSON payload received. Oneof field 'request' is already set. Cannot set '${kinds[1]}'`);
  }
  const kind = kinds[0]!;
  const handler = HANDLERS[kind];
  if (!handler) {
    if (UNSUPPORTED.has(kind)) throw invalidRequest(i, kind, 'This request is not supported by the Docs emulator.');
    throw new DocsApiError(400, `Invalid JSON payload received. Unknown name "${kind}" at 'requests[${i}]': Cannot find field.`);
  }
  const body = (request as Json)[kind];
  if (!body || typeof body !== 'object') throw invalidRequest(i, kind, 'The request body must be an object.');
  try {
    return handler(doc, body as Json);
  } catch (err) {
    if (err instanceof RequestFault) throw invalidRequest(i, kind, err.message);
    throw err;
  }
}

export interface WriteControl { requiredRevisionId?: string; targetRevisionId?: string }

/**
 * Applies a batch atomically and returns the new document (the caller stores it) with the replies.
 * Throws DocsApiError (400) for a stale requiredRevisionId or any invalid request; `doc` is untouched.
 */
export function applyBatch(doc: DocModel, requests: unknown, writeControl?: WriteControl): { doc: DocModel; replies: Reply[] } {
  if (writeControl?.requiredRevisionId !== undefined && writeControl.targetRevisionId !== undefined) {
    throw new DocsApiError(400, 'Invalid writeControl: only one of requiredRevisionId or targetRevisionId may be set.');
  }
  if (writeControl?.requiredRevisionId !== undefined && writeControl.requiredRevisionId !== doc.revisionId) {
    throw new DocsApiError(
      400,
      `The required revision ID '${writeControl.requiredRevisionId}' does not match the latest revision of the document. ` +
        'The document was modified after that revision; read it again and retry.',
    );
  }
  if (!Array.isArray(requests)) throw new DocsApiError(400, "Invalid JSON payload received. 'requests' must be a list.");
  if (requests.length === 0) throw new DocsApiError(400, 'Must specify at least one request.');
  const draft = structuredClone(doc);
  const replies = requests.map((request, i) => applyOne(draft, request, i));
  draft.revisionId = newRevisionId();
  return { doc: draft, replies };
}
