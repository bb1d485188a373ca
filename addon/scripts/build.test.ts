// The built Code.js, evaluated as a plain script in a vm context with stand-in Apps Script globals, as Apps Script
// would run it: every entry point is a top-level function, and the server functions work on the in-memory doc.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planText, textHash } from '../../shared/doc-plan.js';
import { DOC_BLOCK_VECTORS } from '../../shared/test-vectors/doc-blocks.js';
import { AuthMode, type StandInOptions } from '../test-support/fake-apps-script.js';
import { runScript } from '../test-support/script-runtime.js';
import { bodyParagraphs, placeCursor, seed } from '../test-support/inspect.js';
import { buildAddon, externalReferences, type BuildAddonResult } from './build.js';

const API = 'https://api.auto-author.test/';
const ENTRY_POINTS = [
  'getDocumentContext', 'getDocumentOutline', 'getIdentityToken', 'getSettings', 'getUserValues', 'insertChapter', 'insertPassageResult', 'onInstall', 'onOpen',
  'readSelection', 'releaseSelection', 'removeUserValue', 'saveSettings', 'setUserValue', 'showSidebar', 'signInWithGoogle', 'signOut', 'signOutFromMenu',
];

let dir: string;
let built: BuildAddonResult;
let code: string;
let sidebar: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'addon-build-'));
  built = await buildAddon({ apiUrl: API, outDir: path.join(dir, 'addon') });
  sidebar = await readFile(path.join(built.outDir, 'sidebar.html'), 'utf8');
  code = await readFile(path.join(built.outDir, 'Code.js'), 'utf8');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const load = (options: StandInOptions = {}) => runScript(code, options);

describe('the built add-on script', () => {
  it('is one plain script: no import or export, no bundled zod, compiled as a classic script', () => {
    expect(built.files.sort()).toEqual(['Code.js', 'appsscript.json', 'sidebar.html']);
    expect(code).not.toMatch(/^\s*(import|export)\b/mu);
    expect(() => new vm.Script(code)).not.toThrow();
    expect(code).not.toMatch(/ZodError|\$ZodType/u);
    expect(code.length).toBeLessThan(100_000);
    expect(code).toContain(`API: ${API.slice(0, -1)}`);
    expect(code).not.toContain('PLACEHOLDER');
  });

  it('comes with the panels in one self-contained sidebar.html: React and styles inlined, no CDN, built for the API', () => {
    expect(externalReferences(sidebar)).toEqual([]);
    expect(sidebar).toMatch(/<script type="module"[^>]*>[\s\S]{100000,}<\/script>/u);
    expect(sidebar).toMatch(/<style[^>]*>[\s\S]*\.aa-/u);
    // Production React (the development build warns in the console and is twice the size).
    expect(sidebar).toContain('react.dev/errors');
    expect(sidebar).not.toContain('react-stack-top-frame');
    expect(sidebar.length).toBeLessThan(700_000);
    expect(sidebar).toContain(API.slice(0, -1));
    expect(sidebar).not.toMatch(/\(void 0\)\(`(div|ul|p)`/u);
    expect(sidebar).toContain('<base target="_top"');
    expect(sidebar).not.toContain('PLACEHOLDER SIDEBAR');
  });

  it('defines every entry point as a top-level function', () => {
    expect(built.entryPoints).toEqual(ENTRY_POINTS);
    const { globals } = load();
    for (const name of ENTRY_POINTS) {
      expect(code, name).toMatch(new RegExp(`^function ${name}\\(`, 'mu'));
      expect(typeof globals[name], name).toBe('function');
    }
  });

  it('adds its menu in every auth mode, touching nothing else in AuthMode.NONE', () => {
    const none = load({ authModeNone: true });
    // Trigger events carry the enum itself (not a copy, unlike google.script.run arguments).
    (none.globals.onOpen as (e: unknown) => void)({ authMode: AuthMode.NONE });
    expect(none.ui.menus).toEqual([{ items: [{ caption: 'Open Auto-Author', functionName: 'showSidebar' }] }]);

    const full = load();
    (full.globals.onInstall as (e: unknown) => void)({ authMode: AuthMode.FULL });
    expect(full.ui.menus[0]!.items).toEqual([
      { caption: 'Open Auto-Author', functionName: 'showSidebar' }, 'separator', { caption: 'Sign out of Auto-Author', functionName: 'signOutFromMenu' },
    ]);
  });

  it('shows the sidebar file with its title', () => {
    const standIns = load();
    standIns.call('showSidebar');
    expect(standIns.ui.sidebars).toEqual([{ title: 'Auto-Author', file: 'sidebar' }]);
  });

  it('inserts a chapter at the cursor and reports what it wrote', () => {
    const standIns = load();
    seed(standIns.document, ['Intro', 'Outro']);
    placeCursor(standIns.document, 0, 2);
    const vector = DOC_BLOCK_VECTORS[0]!;
    const result = standIns.call('insertChapter', { bookId: 'bk_1', chapterId: 'ch_1', title: vector.title, blocks: vector.blocks, tocOrder: ['ch_1'] });
    expect(result).toMatchObject({ status: 'written', placement: 'cursor', rangeName: 'auto-author:bk_1:ch_1', textHash: textHash(planText(vector.expected)) });
    const paragraphs = bodyParagraphs(standIns.globals.DocumentApp as never, standIns.document).map(({ listId: _l, ...p }) => p);
    expect(paragraphs.slice(1, -1)).toEqual(vector.expected);
    expect(paragraphs.map((p) => p.text).at(-1)).toBe('Outro');

    const context = standIns.call('getDocumentContext', 'bk_1');
    expect(context.chapters).toEqual([{ chapterId: 'ch_1', rangeName: 'auto-author:bk_1:ch_1', textHash: result.textHash }]);
    expect(context.headings[0]).toEqual({ text: vector.expected[0]!.text, style: 'HEADING_1', paragraphIndex: 1 });
    expect(() => standIns.call('insertChapter', { bookId: 'bk_1', chapterId: 'ch_1', title: 'x', blocks: [{ type: 'table' }] })).toThrow(/Invalid chapter/u);
  });

  it('reads the selection and replaces exactly it with a result, only while it holds what was read', () => {
    const standIns = load();
    seed(standIns.document, ['Before. Maria listened. After.', 'Untouched.']);
    const text = standIns.document.body.getChild(0).asParagraph().editAsText();
    standIns.document.setSelection(standIns.document.newRange().addElementsBetween(text, 8, text, 22).build());
    const passage = standIns.call('readSelection');
    expect(passage).toMatchObject({ text: 'Maria listened.', textHash: textHash('Maria listened.') });
    expect(() => standIns.call('insertPassageResult', { ...passage, paragraphs: ['x'], placement: 'anywhere' })).toThrow(/Invalid passage/u);
    expect(standIns.call('insertPassageResult', { passageId: passage.passageId, textHash: passage.textHash, paragraphs: ['Maria\nlistened well.'], placement: 'replace' }))
      .toEqual({ status: 'replaced' });
    expect(bodyParagraphs(standIns.globals.DocumentApp as never, standIns.document).map((p) => p.text)).toEqual(['Before. Maria listened well. After.', 'Untouched.']);
    // A second passage, edited before the author confirms: nothing replaced.
    standIns.document.setSelection(standIns.document.newRange().addElementsBetween(text, 0, text, 6).build());
    const second = standIns.call('readSelection');
    text.setText('Changed by the author.');
    expect(standIns.call('insertPassageResult', { passageId: second.passageId, textHash: second.textHash, paragraphs: ['New'], placement: 'replace' }))
      .toMatchObject({ status: 'changed' });
    expect(text.getText()).toBe('Changed by the author.');
    standIns.call('releaseSelection', second.passageId);
  });

  it('keeps settings in the user\'s properties, defaulting to the build\'s API address', () => {
    const standIns = load();
    expect(standIns.call('getSettings')).toEqual({ apiUrl: 'https://api.auto-author.test', apiToken: null, defaultApiUrl: 'https://api.auto-author.test' });
    expect(standIns.call('saveSettings', { apiToken: 'aa_secret' }).apiToken).toBe('aa_secret');
    expect(standIns.userProperties.values.get('aa.apiToken')).toBe('"aa_secret"');
    (standIns.globals.signOutFromMenu as () => void)();
    expect(standIns.call('getSettings').apiToken).toBeNull();
    expect(standIns.ui.alerts).toHaveLength(1);

    // The panels' own settings, as JSON text under their keys; the API address is checked and normalised.
    standIns.call('setUserValue', 'book:doc-1', JSON.stringify('bk_1'));
    standIns.call('setUserValue', 'apiUrl', JSON.stringify('https://Other.example.com/'));
    expect(standIns.call('getUserValues')).toEqual({ 'book:doc-1': '"bk_1"', apiUrl: '"https://other.example.com"' });
    standIns.call('removeUserValue', 'book:doc-1');
    expect(Object.keys(standIns.call('getUserValues'))).toEqual(['apiUrl']);
    expect(() => standIns.call('setUserValue', 'apiUrl', JSON.stringify('http://plain.example.com'))).toThrow(/https/u);
    expect(() => standIns.call('setUserValue', 'bad key!', '1')).toThrow(/Not a settings key/u);
    expect(() => standIns.call('setUserValue', 'big', JSON.stringify('x'.repeat(10_000)))).toThrow(/9 KB/u);
    expect(standIns.documentProperties.values.size).toBe(0);
  });

  it('notices the author\'s edits on a rewrite from the hash kept with the document, unless told to overwrite', () => {
    const standIns = load();
    const request = { bookId: 'bk_1', chapterId: 'ch_1', title: 'One', blocks: [{ type: 'paragraph', text: 'First words.', sources: [], unsupported: false }] };
    const first = standIns.call('insertChapter', request);
    expect(standIns.documentProperties.values.get('aa.written:auto-author:bk_1:ch_1')).toBe(first.textHash);
    // The author types over the chapter's text (in place, so it stays inside the named range).
    standIns.document.body.getChild(1).asParagraph().editAsText().setText('The author changed this.');
    const blocked = standIns.call('insertChapter', { ...request, title: 'One again' });
    expect(blocked).toMatchObject({ status: 'skipped', code: 'DOC_CHAPTER_EDITED', currentText: 'One\nThe author changed this.' });
    expect(standIns.call('insertChapter', { ...request, title: 'One again', overwrite: true })).toMatchObject({ status: 'written', placement: 'replaced' });
    expect(standIns.call('insertChapter', { ...request, title: 'One, third take' })).toMatchObject({ status: 'written', placement: 'replaced' });
  });

  it('hands out the identity token, and signs in with it at POST /v1/auth/google', () => {
    const user = { id: 'usr_1', email: 'author@example.com', name: 'Author' };
    const standIns = load({
      identityToken: 'eyJ.id.token',
      fetch: (call) => ({ status: 200, body: JSON.stringify({ token: 'aa_from_google', tokenId: 'tok_1', expiresAt: '2030-01-01T00:00:00.000Z', user, payload: call.payload }) }),
    });
    expect(standIns.call('getIdentityToken')).toEqual({ idToken: 'eyJ.id.token' });
    const signedIn = standIns.call('signInWithGoogle');
    expect(signedIn).toMatchObject({ user, settings: { apiToken: 'aa_from_google' } });
    expect(standIns.fetches).toEqual([expect.objectContaining({ url: `${API}v1/auth/google`, method: 'post', payload: JSON.stringify({ idToken: 'eyJ.id.token' }) })]);
    expect(() => load({ identityToken: null }).call('getIdentityToken')).toThrow(/openid/u);
  });
});

describe('building the add-on', () => {
  it('fails clearly without a usable https ADDON_API_URL', async () => {
    const outDir = path.join(dir, 'bad');
    await expect(buildAddon({ apiUrl: 'http://api.example.com/', outDir })).rejects.toThrow(/ADDON_API_URL.*https/u);
    await expect(buildAddon({ apiUrl: 'https://localhost:8787/', outDir })).rejects.toThrow(/ADDON_API_URL.*full domain/u);
    await expect(buildAddon({ apiUrl: 'https://api.example.com/?x=1', outDir })).rejects.toThrow(/ADDON_API_URL/u);
    await expect(buildAddon({ apiUrl: undefined, requireApiUrl: true, outDir })).rejects.toThrow(/ADDON_API_URL is not set/u);
  });

  it('marks a local build without ADDON_API_URL as built for the placeholder address', async () => {
    const lines: string[] = [];
    const placeholder = await buildAddon({ apiUrl: undefined, outDir: path.join(dir, 'local'), sidebar: 'placeholder', log: (line) => lines.push(line) });
    expect(placeholder.apiUrl.placeholder).toBe(true);
    expect(lines.join('\n')).toMatch(/not deployable/u);
    expect(await readFile(path.join(placeholder.outDir, 'Code.js'), 'utf8')).toMatch(/^\/\/ PLACEHOLDER API ADDRESS/mu);
    expect(placeholder.manifest.urlFetchWhitelist).toEqual(['https://auto-author.example.com/']);
  });
});
