// The emulator object tests hold: documents, access, faults, hooks and request counts. The HTTP
// side (server.ts) calls into it; tests call the same methods directly to seed, edit and assert.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { DocsApiError, DEFAULT_MESSAGES } from './errors.js';
import { tabNamedRanges, tabParagraphs, tabText, type NamedRangeSummary, type ParagraphSummary } from './inspect.js';
import { allTabs, findTab, type DocModel, type Json, type Tab } from './model.js';
import { applyBatch, type WriteControl } from './requests.js';
import { docFromJson, docFromSpec, type DocumentSpec } from './seed.js';
import { documentJson, type GetOptions } from './serialize.js';
import { listen } from './server.js';

export type Method = 'create' | 'get' | 'batchUpdate';

export interface Fault {
  /** Which calls it hits ('*' or absent: any). */
  method?: Method | '*';
  /** Only calls for this document (absent: any document). */
  documentId?: string;
  /** HTTP status to answer with (default 429). 0 means "no error": only the delay applies. */
  status?: number;
  message?: string;
  /** How many calls it hits (default 1). */
  times?: number;
  /** Sets a Retry-After header on the error. */
  retryAfterSeconds?: number;
  /** Waits this long before answering (or before handling the call normally when status is 0). */
  delayMs?: number;
  /**
   * Answers 200 with exactly this body instead of the call's result: a malformed reply, as a proxy's HTML page, a cut
   * JSON or a wrong shape would be. `status` is ignored.
   */
  rawBody?: { text: string; contentType?: string };
}

export interface HookContext { method: Method; documentId?: string; emulator: DocsEmulator }
export type Hook = (ctx: HookContext) => void | Promise<void>;
interface PendingHook { phase: 'before' | 'after'; method: Method; documentId?: string; remaining: number; fn: Hook }

export interface RequestRecord {
  method: Method;
  documentId?: string;
  status: number;
  query: Record<string, string>;
  body?: unknown;
  token?: string;
  at: number;
}

export interface Counts {
  get: number;
  batchUpdate: number;
  create: number;
  byDocument: Record<string, { get: number; batchUpdate: number }>;
}

export interface DocsEmulatorOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Accepted bearer tokens, or a predicate. Default: any non-empty token. */
  tokens?: readonly string[] | ((token: string) => boolean);
}

const zeroCounts = (): Counts => ({ get: 0, batchUpdate: 0, create: 0, byDocument: {} });

export class DocsEmulator {
  /** Origin to pass as `rootUrl` (e.g. http://127.0.0.1:41234), set by start(). */
  url = '';
  /** Calls received per method and per document (every call, failed ones included). */
  counts: Counts = zeroCounts();
  /** Every call received, in order (batchUpdate bodies included). */
  readonly requests: RequestRecord[] = [];
  private readonly docs = new Map<string, DocModel>();
  private readonly forbidden = new Set<string>();
  private faults: (Fault & { times: number })[] = [];
  private hooks: PendingHook[] = [];
  private server?: Server;

  constructor(private readonly options: DocsEmulatorOptions = {}) {}

  async start(): Promise<this> {
    const { server, url } = await listen(this, this.options.host ?? '127.0.0.1', this.options.port ?? 0);
    this.server = server;
    this.url = url;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }

  // ---- documents ----

  /** Builds a document (default: blank, like documents.create) and returns its id. */
  createDocument(spec: DocumentSpec = {}): string {
    const doc = docFromSpec(spec);
    this.docs.set(doc.documentId, doc);
    return doc.documentId;
  }

  /**
   * Loads documents.get JSON (a path or the parsed JSON; legacy or tabs form). The id is
   * options.documentId, else the JSON's documentId; seeding an existing id replaces that document.
   */
  seedFromFixture(source: string | Json, options: { documentId?: string; title?: string } = {}): string {
    const json = typeof source === 'string' ? (JSON.parse(readFileSync(source, 'utf8')) as Json) : source;
    const doc = docFromJson(structuredClone(json), options);
    this.docs.set(doc.documentId, doc);
    return doc.documentId;
  }

  hasDocument(documentId: string): boolean { return this.docs.has(documentId); }
  deleteDocument(documentId: string): void { this.docs.delete(documentId); }
  documentIds(): string[] { return [...this.docs.keys()]; }

  /** What documents.get returns (not counted). */
  getDocument(documentId: string, options: GetOptions = {}): Json {
    return documentJson(this.doc(documentId), options);
  }

  revisionId(documentId: string): string { return this.doc(documentId).revisionId; }
  tabIds(documentId: string): string[] { return allTabs(this.doc(documentId)).map((t) => t.tabId); }
  /** The body's plain text: all text runs in order, "\n" ending each paragraph (default: first tab). */
  text(documentId: string, tabId?: string): string { return tabText(this.tab(documentId, tabId)); }
  paragraphs(documentId: string, tabId?: string): ParagraphSummary[] { return tabParagraphs(this.tab(documentId, tabId)); }
  namedRanges(documentId: string, tabId?: string): NamedRangeSummary[] { return tabNamedRanges(this.tab(documentId, tabId)); }

  /** Applies a batch as the app would (atomic; throws DocsApiError). Not counted; used by the server. */
  batchUpdate(documentId: string, requests: unknown, writeControl?: WriteControl): { replies: Json[]; revisionId: string } {
    const { doc, replies } = applyBatch(this.doc(documentId), requests, writeControl);
    this.docs.set(documentId, doc);
    return { replies, revisionId: doc.revisionId };
  }

  /** Another collaborator edits the document: the batch applies and the revisionId changes. */
  editAsAuthor(documentId: string, requests: Json[]): { replies: Json[]; revisionId: string } {
    return this.batchUpdate(documentId, requests);
  }

  // ---- access, faults, hooks ----

  /** Every call for this document answers 403 PERMISSION_DENIED (until forbid(id, false)). */
  forbid(documentId: string, forbidden = true): void {
    if (forbidden) this.forbidden.add(documentId);
    else this.forbidden.delete(documentId);
  }

  isForbidden(documentId: string): boolean { return this.forbidden.has(documentId); }

  /** Queues a fault; calls take the first matching fault in the order they were injected. */
  injectFault(fault: Fault = {}): void {
    this.faults.push({ method: '*', status: 429, times: 1, delayMs: 0, ...fault });
  }

  clearFaults(): void { this.faults = []; }

  /** Runs `fn` before the next matching call is handled (e.g. an author edit before a write). */
  beforeNext(method: Method, fn: Hook, options: { documentId?: string; times?: number } = {}): void {
    this.hooks.push({ phase: 'before', method, documentId: options.documentId, remaining: options.times ?? 1, fn });
  }

  /** Runs `fn` after the next matching call was handled, before its response is sent (e.g. an edit right after a read). */
  afterNext(method: Method, fn: Hook, options: { documentId?: string; times?: number } = {}): void {
    this.hooks.push({ phase: 'after', method, documentId: options.documentId, remaining: options.times ?? 1, fn });
  }

  resetCounts(): void {
    this.counts = zeroCounts();
    this.requests.length = 0;
  }

  countsFor(documentId: string): { get: number; batchUpdate: number } {
    return this.counts.byDocument[documentId] ?? { get: 0, batchUpdate: 0 };
  }

  /** Forgets documents, access marks, faults, hooks and counts. */
  reset(): void {
    this.docs.clear();
    this.forbidden.clear();
    this.clearFaults();
    this.hooks = [];
    this.resetCounts();
  }

  // ---- used by server.ts ----

  /** @internal */
  acceptsToken(token: string): boolean {
    const accepted = this.options.tokens;
    if (!token) return false;
    if (!accepted) return true;
    return typeof accepted === 'function' ? accepted(token) : accepted.includes(token);
  }

  /** @internal */
  count(method: Method, documentId?: string): void {
    this.counts[method]++;
    if (documentId && method !== 'create') {
      const perDoc = (this.counts.byDocument[documentId] ??= { get: 0, batchUpdate: 0 });
      perDoc[method]++;
    }
  }

  /** @internal Takes the first fault matching this call; the delay is awaited here. */
  async takeFault(
    method: Method, documentId?: string,
  ): Promise<{ error: DocsApiError; retryAfterSeconds?: number } | { rawBody: NonNullable<Fault['rawBody']> } | undefined> {
    const fault = this.faults.find((f) => (f.method === '*' || f.method === method) && (!f.documentId || f.documentId === documentId));
    if (!fault) return undefined;
    fault.times--;
    if (fault.times <= 0) this.faults = this.faults.filter((f) => f !== fault);
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.rawBody) return { rawBody: fault.rawBody };
    const status = fault.status ?? 429;
    if (!status) return undefined;
    const error = new DocsApiError(status, fault.message ?? DEFAULT_MESSAGES[status] ?? `Injected fault ${status}.`);
    return { error, retryAfterSeconds: fault.retryAfterSeconds };
  }

  /** @internal */
  async runHooks(phase: 'before' | 'after', method: Method, documentId?: string): Promise<void> {
    const due = this.hooks.filter((h) => h.phase === phase && h.method === method && (!h.documentId || h.documentId === documentId));
    for (const hook of due) {
      hook.remaining--;
      if (hook.remaining <= 0) this.hooks = this.hooks.filter((h) => h !== hook);
      await hook.fn({ method, documentId, emulator: this });
    }
  }

  /** @internal The stored document; 404 like Google when unknown. */
  doc(documentId: string): DocModel {
    const doc = this.docs.get(documentId);
    if (!doc) throw new DocsApiError(404, DEFAULT_MESSAGES[404]!);
    return doc;
  }

  /** @internal */
  store(doc: DocModel): void { this.docs.set(doc.documentId, doc); }

  private tab(documentId: string, tabId?: string): Tab {
    const tab = findTab(this.doc(documentId), tabId);
    if (!tab) throw new Error(`document ${documentId} has no tab ${tabId}`);
    return tab;
  }
}

/** Starts an emulator on 127.0.0.1 (port 0 unless given). */
export async function startDocsEmulator(options: DocsEmulatorOptions = {}): Promise<DocsEmulator> {
  return new DocsEmulator(options).start();
}
