// /__emulator/* — the emulator's own methods over HTTP (no auth) for tests that run it as a separate
// process (browser tests): seed, inspect, edit as the author, inject faults, read counts, reset.
import type { DocsEmulator, Fault } from './emulator.js';
import { DocsApiError } from './errors.js';
import type { Json } from './model.js';
import type { DocumentSpec } from './seed.js';

type Body = Record<string, unknown>;

/**
 * POST /__emulator/documents {spec}            → {documentId}
 * POST /__emulator/fixtures {json, documentId?} → {documentId}
 * GET  /__emulator/documents/{id}?includeTabsContent=true → the document (not counted)
 * GET  /__emulator/documents/{id}/text?tabId=   → {text}
 * GET  /__emulator/documents/{id}/paragraphs?tabId= → {paragraphs}
 * GET  /__emulator/documents/{id}/named-ranges?tabId= → {namedRanges}
 * POST /__emulator/documents/{id}/edit {requests} → editAsAuthor's result
 * POST /__emulator/documents/{id}/forbid {forbidden?} → {}
 * POST /__emulator/faults {fault}               → {}
 * GET  /__emulator/counts                       → counts
 * POST /__emulator/reset                        → {}
 */
export function control(emulator: DocsEmulator, httpMethod: string, url: URL, body: Body): unknown {
  const parts = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  const tabId = url.searchParams.get('tabId') ?? undefined;
  const key = `${httpMethod} ${parts[0] ?? ''}${parts[2] ? `/${parts[2]}` : parts[1] ? '/:id' : ''}`;
  const id = parts[1] ?? '';
  switch (key) {
    case 'POST documents': return { documentId: emulator.createDocument((body.spec ?? body) as DocumentSpec) };
    case 'POST fixtures': return { documentId: emulator.seedFromFixture(body.json as Json, { documentId: body.documentId as string | undefined }) };
    case 'GET documents/:id': return emulator.getDocument(id, { includeTabsContent: url.searchParams.get('includeTabsContent') === 'true' });
    case 'GET documents/text': return { text: emulator.text(id, tabId) };
    case 'GET documents/paragraphs': return { paragraphs: emulator.paragraphs(id, tabId) };
    case 'GET documents/named-ranges': return { namedRanges: emulator.namedRanges(id, tabId) };
    case 'POST documents/edit': return emulator.editAsAuthor(id, body.requests as Json[]);
    case 'POST documents/forbid': emulator.forbid(id, body.forbidden !== false); return {};
    case 'POST faults': emulator.injectFault((body.fault ?? body) as Fault); return {};
    case 'GET counts': return emulator.counts;
    case 'POST reset': emulator.reset(); return {};
    default: throw new DocsApiError(404, `Unknown emulator control route ${httpMethod} ${url.pathname}.`);
  }
}
