// The add-on's PanelHost over a typed google.script.run wrapper, driven against the built server code.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../shared/blocks.js';
import { planChapter } from '../../shared/doc-plan.js';
import type { HostChapterWrite } from '../../shared/ui/panel-host.js';
import { bundleServerCode } from '../scripts/build.js';
import type { StandInOptions } from '../test-support/fake-apps-script.js';
import { bodyTexts, placeCursor, seed } from '../test-support/inspect.js';
import { runScript } from '../test-support/script-runtime.js';
import { createAddonHost, cursorNote } from './addon-host.js';
import { createScriptRun, type GoogleScriptRunner } from './script-run.js';

let code: string;
beforeAll(async () => {
  code = (await bundleServerCode('https://api.example.com', [])).code;
});

function setup(options: StandInOptions = {}) {
  const script = runScript(code, options);
  const calls: string[] = [];
  const counting = (runner: GoogleScriptRunner): GoogleScriptRunner => new Proxy(runner, {
    get(target, name) {
      const value = Reflect.get(target, name) as unknown;
      if (name === 'withSuccessHandler' || name === 'withFailureHandler') return (h: never) => counting((value as (h: never) => GoogleScriptRunner)(h));
      if (typeof value === 'function') calls.push(String(name));
      return value;
    },
  });
  const run = createScriptRun(counting(script.scriptRun()));
  const host = createAddonHost({ run, storage: null, defaultApiUrl: 'https://api.example.com', fixedApiUrl: true });
  return { script, run, host, calls };
}

const chapter = (chapterId: string, title: string, blocks: Block[] = [{ type: 'paragraph', text: `${title} text.`, sources: [], unsupported: false }]): HostChapterWrite =>
  ({ chapterId, title, isSection: false, blocks, paragraphs: planChapter(title, blocks), expectedTextHash: null });

describe('the typed google.script.run wrapper', () => {
  it('resolves with the server function\'s copied result and rejects with its error', async () => {
    const { run } = setup({ identityToken: 'id.token' });
    await expect(run.getIdentityToken()).resolves.toEqual({ idToken: 'id.token' });
    await expect(run.setUserValue('not a key!', '1')).rejects.toThrow(/Not a settings key/u);
  });
});

describe('the add-on PanelHost', () => {
  it('says what it can do: Google sign-in, a real document, writing at the cursor', () => {
    const { host } = setup();
    expect(host).toMatchObject({ kind: 'addon', defaultApiUrl: 'https://api.example.com', capabilities: { googleSignIn: true, realDocument: true, fixedApiUrl: true, insertAtCursor: true } });
  });

  it('keeps settings in user properties, read once and cached', async () => {
    const { host, script, calls } = setup();
    await host.settings.set('book:doc-1', 'bk_1');
    expect(await host.settings.get('book:doc-1')).toBe('bk_1');
    expect(await host.settings.get('missing')).toBeNull();
    await host.settings.set('apiUrl', 'https://Api.Example.com/');
    expect(await host.settings.get('apiUrl')).toBe('https://api.example.com');
    await host.settings.remove('book:doc-1');
    expect(await host.settings.get('book:doc-1')).toBeNull();
    expect(calls.filter((c) => c === 'getUserValues')).toHaveLength(1);
    expect([...script.userProperties.values.keys()]).toEqual(['aa.apiUrl']);
    await expect(host.settings.set('apiUrl', 'http://plain.example.com')).rejects.toThrow(/https/u);
  });

  it('gives the document context, the outline and the Google ID token from the script', async () => {
    const { host, script } = setup({ identityToken: 'google.id.token' });
    seed(script.document, [['Title', 'TITLE'], 'Body']);
    expect(await host.getDocumentContext()).toEqual({ documentId: 'doc-1', title: 'Untitled document', tabId: null });
    expect(await host.readOutline!()).toEqual([{ text: 'Title', style: 'TITLE' }, { text: 'Body', style: 'NORMAL_TEXT' }]);
    expect(await host.getGoogleIdToken!()).toBe('google.id.token');
    expect(await host.getGoogleToken()).toBeNull();
  });

  it('writes chapters one execution each: the first at the cursor, the rest in TOC order, results for …/doc/writes', async () => {
    const { host, script, calls } = setup();
    seed(script.document, ['Intro', 'Outro']);
    placeCursor(script.document, 0);
    const result = await host.writeToDoc!({
      bookId: 'bk_1', documentId: 'doc-1', tocOrder: ['ch_1', 'ch_2'], overwrite: false, mode: 'cursor',
      chapters: [chapter('ch_1', 'One')],
    });
    expect(result).toMatchObject({ revisionId: null, chapters: [{ chapterId: 'ch_1', status: 'written', rangeName: 'auto-author:bk_1:ch_1', code: null }] });
    const second = await host.writeToDoc!({
      bookId: 'bk_1', documentId: 'doc-1', tocOrder: ['ch_1', 'ch_2'], overwrite: false, mode: 'auto',
      chapters: [chapter('ch_2', 'Two'), chapter('ch_1', 'One', [{ type: 'paragraph', text: 'One, rewritten.', sources: [], unsupported: false }])],
    });
    expect(second.chapters.map((c) => c.status)).toEqual(['written', 'written']);
    expect(bodyTexts(script.document)).toEqual(['Intro', 'One', 'One, rewritten.', 'Two', 'Two text.', 'Outro']);
    expect(calls.filter((c) => c === 'insertChapter')).toHaveLength(3);
  });

  it('reports an edited chapter as skipped and a refused one as failed, without stopping the others', async () => {
    const { host, script } = setup();
    const write = (chapters: HostChapterWrite[]) => host.writeToDoc!({ bookId: 'bk_1', documentId: 'doc-1', tocOrder: ['ch_1', 'ch_2'], overwrite: false, mode: 'auto', chapters });
    await write([chapter('ch_1', 'One')]);
    script.document.body.getChild(1).asParagraph().editAsText().setText('Edited by the author.');
    const result = await write([chapter('ch_1', 'One'), { ...chapter('ch_2', 'Two'), chapterId: 'bad id!' }, chapter('ch_2', 'Two')]);
    expect(result.chapters).toEqual([
      { chapterId: 'ch_1', status: 'skipped', code: 'DOC_CHAPTER_EDITED', message: expect.any(String), currentText: 'One\nEdited by the author.', rangeName: null, textHash: null },
      { chapterId: 'bad id!', status: 'skipped', code: 'INTERNAL', message: expect.stringMatching(/chapterId must be an id/u), currentText: null, rangeName: null, textHash: null },
      expect.objectContaining({ chapterId: 'ch_2', status: 'written' }),
    ]);
  });
});

describe('cursorNote', () => {
  it('says why a chapter asked for at the cursor went elsewhere, and nothing otherwise', () => {
    expect(cursorNote('cursor', 'cursor')).toBeNull();
    expect(cursorNote('auto', 'end')).toBeNull();
    expect(cursorNote('cursor', null)).toBe('It was already in the document just as written, so nothing changed.');
    expect(cursorNote('cursor', 'replaced')).toBe('It was already in the document, so it was replaced where it is: a written chapter is never moved.');
    expect(cursorNote('cursor', 'end')).toBe('There was no cursor in the document, so it went at the end.');
    expect(cursorNote('cursor', 'after')).toBe('There was no cursor in the document, so it went in table-of-contents order.');
  });
});
