import type { Block } from '../blocks.js';
import type { PlannedParagraph } from '../doc-plan.js';

/**
 * The one seam between the panels and the surface they run in (web preview, extension side panel, add-on
 * sidebar). Panels never touch `chrome.*`, `browser.*`, `google.script.*` or `localStorage` directly: each
 * surface fills in a PanelHost, the way karakeep's web app and extension share one React package.
 */
export interface PanelHost {
  /** Which surface this is (used only for wording and diagnostics, never for branching on features). */
  readonly kind: 'web' | 'extension' | 'addon' | 'test';
  /** What the surface can do; panels branch on these flags, not on `kind`. */
  readonly capabilities: PanelCapabilities;
  /** Small settings: API URL, API token, the open book per document (add-on: UserProperties; web: localStorage). */
  readonly settings: KeyValueStore;
  /** Text typed but not yet confirmed by the server; may be large and written on every keystroke (localStorage in every host). */
  readonly unsaved: KeyValueStore;
  /** The API origin the host was built for or is served from (web: `location.origin`); null when the author types it. */
  readonly defaultApiUrl: string | null;
  /** The document the panel sits beside, or null (the web preview has none). */
  getDocumentContext(): Promise<DocumentContext | null>;
  /** Called when the author switches documents (extension tabs); returns an unsubscribe function. */
  onDocumentContextChange?(listener: (context: DocumentContext | null) => void): () => void;
  /**
   * A Google OAuth access token for Docs writes through the API (`x-google-access-token`), or null when the host
   * has none. `interactive` may show Google's consent screen (a "Re-connect Google" click).
   */
  getGoogleToken(options?: { interactive?: boolean }): Promise<string | null>;
  /** A Google ID token for `POST /v1/auth/google` (sign-in instead of pasting an API token); absent when unsupported. */
  getGoogleIdToken?(): Promise<string | null>;
  /**
   * Writes planned chapters itself (add-on: DocumentApp; web: the local preview). Absent: the panel asks the API
   * to write (`POST …/doc/write` with the Google token).
   */
  writeToDoc?(request: HostWriteRequest): Promise<HostWriteResult>;
  /** The local preview of the book's document as it now reads (web preview only). */
  readDocPreview?(bookId: string): Promise<DocPreview | null>;
  /** Reads the open document's paragraphs for import, when the host can (add-on). */
  readOutline?(): Promise<Array<{ text: string; style: string }>>;
  /** Opens a link outside the panel (new tab); absent: links open normally. */
  openExternal?(url: string): void;
  /** The author's selection in the document, for actions on it (add-on); absent where the host cannot read it. */
  selection?: SelectionHost;
}

/** A passage the author selected, read with the fingerprint of what it held. */
export interface SelectedPassage {
  passageId: string;
  text: string;
  textHash: string;
}

/**
 * Reads the author's selection and later puts a result in its place (or after it), only if it still holds what was
 * read: otherwise nothing changes and `changed` says what it holds now.
 */
export interface SelectionHost {
  /** The selection, null when nothing is selected; throws with a reason the author can act on (say, a table). */
  read(): Promise<SelectedPassage | null>;
  insert(request: { passageId: string; textHash: string; paragraphs: string[]; placement: 'replace' | 'after' }):
    Promise<{ status: 'replaced' | 'inserted' } | { status: 'changed'; currentText: string | null }>;
  /** Forgets a passage the author discarded. */
  release(passageId: string): Promise<void>;
}

/** Feature flags of a host. */
export interface PanelCapabilities {
  /** `getGoogleIdToken` works, so Connect offers "Sign in with Google". */
  googleSignIn: boolean;
  /** Writes land in a real Google Doc (false: the local preview of the web host). */
  realDocument: boolean;
  /** The API URL is fixed by the host, so Connect does not ask for it. */
  fixedApiUrl: boolean;
  /** `writeToDoc` can insert at the author's cursor (add-on), so Write offers "at the cursor". */
  insertAtCursor: boolean;
}

/** Async key/value storage with JSON values (localStorage, WXT storage items, UserProperties, memory). */
export interface KeyValueStore {
  /** The stored value, or null when absent. */
  get<T = unknown>(key: string): Promise<T | null>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

/** The Google Doc the panel works on. */
export interface DocumentContext {
  documentId: string;
  title: string;
  tabId?: string | null;
}

/** One chapter to write, planned by the panel with the shared write plan (`planChapter`). */
export interface HostChapterWrite {
  chapterId: string;
  title: string;
  isSection: boolean;
  blocks: Block[];
  /** Exactly what to write: `planChapter(title, blocks, isSection)`. */
  paragraphs: PlannedParagraph[];
  /**
   * Hash of the text last written into the document for this chapter by any surface (`GET …/doc`), or null: the
   * host's writer follows `decideChapterWrite`, so an author's edit since then is skipped unless `overwrite`.
   */
  expectedTextHash: string | null;
}

/** What the panel hands a host that writes documents itself. */
export interface HostWriteRequest {
  bookId: string;
  /** The linked document (null in the web preview). */
  documentId: string | null;
  /** Every active chapter id in TOC order, so new chapters land in place (`placement`). */
  tocOrder: string[];
  chapters: HostChapterWrite[];
  /** Replace chapters even where the author edited them in the document. */
  overwrite: boolean;
  /** `cursor`: at the cursor when there is one (only with `insertAtCursor`); `auto`: in place, else TOC order, else the end. */
  mode: 'cursor' | 'auto';
}

/** Per-chapter outcome of a write, in the shape of the API's `WriteDocResult` plus what `POST …/doc/writes` needs. */
export interface HostChapterResult {
  chapterId: string;
  status: 'written' | 'skipped';
  code: string | null;
  message: string | null;
  /** For DOC_CHAPTER_EDITED: the chapter's current text, to show the difference. */
  currentText: string | null;
  /** Named range and text hash of what was written (recorded with `POST …/doc/writes` when there is a document). */
  rangeName: string | null;
  textHash: string | null;
}

/** What a host write did. */
export interface HostWriteResult {
  revisionId: string | null;
  chapters: HostChapterResult[];
  /** The document as it now reads, when the host renders a local preview. */
  preview?: DocPreview | null;
}

/** A local rendering of a document: chapters in document order, each as the paragraphs the writers produce. */
export interface DocPreview {
  chapters: Array<{ chapterId: string; paragraphs: PlannedParagraph[] }>;
}

/** Storage keys the panels use, in one place. */
export const STORAGE_KEYS = {
  apiUrl: 'apiUrl',
  apiToken: 'apiToken',
  /** The open book, per document (`local` when there is no document). */
  book: (documentId: string | null) => `book:${documentId ?? 'local'}`,
  chapter: (bookId: string) => `chapter:${bookId}`,
  /** The panel the author had open, so a reload returns to it. */
  panel: 'panel',
  /** The last TOC proposal of a book not yet applied (from a generation or an import). */
  proposal: (bookId: string) => `proposal:${bookId}`,
  /** The TOC proposal the author dismissed, so it is not offered again from its generation. */
  dismissedProposal: (bookId: string) => `proposal-dismissed:${bookId}`,
} as const;

/** A KeyValueStore in memory (tests, and hosts that cannot persist). */
export function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>(Object.entries(initial));
  return {
    data,
    async get<T>(key: string) {
      return data.has(key) ? (structuredClone(data.get(key)) as T) : null;
    },
    async set(key, value) {
      data.set(key, structuredClone(value));
    },
    async remove(key) {
      data.delete(key);
    },
  };
}

/** A KeyValueStore over a Web Storage object (localStorage), JSON-encoded under a prefix. */
export function webStorageStore(storage: Storage, prefix: string): KeyValueStore {
  return {
    async get<T>(key: string) {
      const raw = storage.getItem(prefix + key);
      if (raw === null) return null;
      try {
        return JSON.parse(raw) as T;
      } catch {
        return null;
      }
    },
    async set(key, value) {
      storage.setItem(prefix + key, JSON.stringify(value));
    },
    async remove(key) {
      storage.removeItem(prefix + key);
    },
  };
}

/**
 * A failure of the host's own document service (the add-on's Apps Script), already worded for the author by the host:
 * panels show its title and message as they are, with Try again.
 */
export class HostError extends Error {
  constructor(readonly title: string, message: string) {
    super(message);
    this.name = 'HostError';
  }
}
