import { memoryStore, webStorageStore, type HostChapterResult, type KeyValueStore, type PanelHost } from '../../shared/ui/panel-host.js';
import type { ChapterTarget } from '../src/chapter-target.js';
import type { ScriptRun } from './script-run.js';

export interface AddonHostOptions {
  /** The server functions through google.script.run. */
  run: ScriptRun;
  /** The sidebar's localStorage for unsaved text, or null when the browser refuses it (then memory). */
  storage: Storage | null;
  /** The API address the add-on was built for (ADDON_API_URL). */
  defaultApiUrl: string;
  /** Whether that address is fixed (a real build), so Connect does not ask for one. */
  fixedApiUrl: boolean;
  openWindow?: (url: string) => void;
}

/**
 * Settings in the user's properties through the server (never the document's), read once and cached: every
 * google.script.run call is a server execution, so the panels' frequent reads must not each cost one.
 */
export function userPropertiesStore(run: ScriptRun): KeyValueStore {
  let loaded: Promise<Map<string, string>> | null = null;
  const load = () => {
    loaded ??= run.getUserValues().then(
      (values) => new Map(Object.entries(values)),
      (error: unknown) => {
        loaded = null;
        throw error;
      },
    );
    return loaded;
  };
  return {
    async get<T>(key: string) {
      const raw = (await load()).get(key);
      if (raw === undefined) return null;
      try {
        return JSON.parse(raw) as T;
      } catch {
        return null;
      }
    },
    async set(key, value) {
      const values = await load();
      values.set(key, await run.setUserValue(key, JSON.stringify(value)));
    },
    async remove(key) {
      const values = await load();
      await run.removeUserValue(key);
      values.delete(key);
    },
  };
}

/** The add-on sidebar's PanelHost: DocumentApp writes at the cursor, Google sign-in with the script's identity. */
export function createAddonHost(options: AddonHostOptions): PanelHost {
  const { run } = options;
  return {
    kind: 'addon',
    capabilities: { googleSignIn: true, realDocument: true, fixedApiUrl: options.fixedApiUrl, insertAtCursor: true },
    settings: userPropertiesStore(run),
    unsaved: options.storage ? webStorageStore(options.storage, 'aa.unsaved.') : memoryStore(),
    defaultApiUrl: options.defaultApiUrl,
    async getDocumentContext() {
      const context = await run.getDocumentContext(null);
      return { documentId: context.documentId, title: context.title, tabId: null };
    },
    // The add-on writes through DocumentApp itself; it holds no Google token the API could use.
    getGoogleToken: async () => null,
    getGoogleIdToken: async () => (await run.getIdentityToken()).idToken,
    async writeToDoc(request) {
      const chapters: HostChapterResult[] = [];
      // One chapter per server execution, in order: each stays well inside the 6-minute limit.
      for (const chapter of request.chapters) {
        try {
          const result = await run.insertChapter({
            bookId: request.bookId, chapterId: chapter.chapterId, title: chapter.title, blocks: chapter.blocks, isSection: chapter.isSection,
            tocOrder: request.tocOrder, mode: request.mode, overwrite: request.overwrite, expectedTextHash: chapter.expectedTextHash,
          });
          chapters.push({
            chapterId: result.chapterId, status: result.status, code: result.code, currentText: result.currentText,
            message: result.status === 'written' ? cursorNote(request.mode, result.placement) : result.message,
            rangeName: result.status === 'written' ? result.rangeName : null, textHash: result.textHash,
          });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          chapters.push({ chapterId: chapter.chapterId, status: 'skipped', code: 'INTERNAL', message, currentText: null, rangeName: null, textHash: null });
        }
      }
      return { revisionId: null, chapters };
    },
    readOutline: async () => (await run.getDocumentOutline()).paragraphs,
    selection: {
      async read() {
        const read = await run.readSelection();
        if (read && 'error' in read) throw new Error(read.error);
        return read;
      },
      insert: (request) => run.insertPassageResult(request),
      release: (passageId) => run.releaseSelection(passageId),
    },
    openExternal: options.openWindow,
  };
}

/** Why a chapter asked for "at the cursor" went elsewhere (null: it went there, or the author did not ask). */
export function cursorNote(mode: 'cursor' | 'auto', placement: ChapterTarget['placement'] | null): string | null {
  if (mode !== 'cursor' || placement === 'cursor') return null;
  if (placement === null) return 'It was already in the document just as written, so nothing changed.';
  if (placement === 'replaced') return 'It was already in the document, so it was replaced where it is: a written chapter is never moved.';
  return `There was no cursor in the document, so it went ${placement === 'end' ? 'at the end' : 'in table-of-contents order'}.`;
}
