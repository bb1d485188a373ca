import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import react from '@vitejs/plugin-react';
import { build, type Plugin } from 'esbuild';
import { build as viteBuild } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';
import { buildManifest, resolveApiUrl, type AddonManifest } from './manifest.js';
import { placeholderSidebar } from './placeholder-sidebar.js';

/** Repository root (this file is addon/scripts/build.ts). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The global the bundle's exports live on; each entry point gets a top-level stub calling into it. */
export const BUNDLE_GLOBAL = 'AutoAuthor';

export interface BuildAddonOptions {
  /** The API's public https address (default: ADDON_API_URL; unset → a marked placeholder unless `requireApiUrl`). */
  apiUrl?: string | undefined;
  /** Fail without an explicit API address (deploys). */
  requireApiUrl?: boolean;
  /** Output folder (default dist/addon). */
  outDir?: string;
  /** `panels` (default): the shared panels bundled into one HTML file; `placeholder`: a static page (quick builds). */
  sidebar?: 'panels' | 'placeholder';
  log?: (line: string) => void;
}

export interface BuildAddonResult {
  outDir: string;
  files: string[];
  apiUrl: ReturnType<typeof resolveApiUrl>;
  /** The global functions Code.js defines. */
  entryPoints: string[];
  manifest: AddonManifest;
}

// The server code uses shared/'s pure rules only (doc-plan, block-text, limits), never its zod schemas: bundling zod
// (800 KB) into Code.js would be a mistake, so reaching it fails the build.
const refuseZod: Plugin = {
  name: 'refuse-zod',
  setup(b) {
    b.onResolve({ filter: /^zod(\/.*)?$/ }, (args) => ({
      errors: [{ text: `${args.importer} imports zod: the add-on's server code must use shared/'s zod-free modules.` }],
    }));
  },
};

/** The names the bundle exports, read by evaluating it in an empty context (its top level touches no service). */
function exportedNames(bundle: string): string[] {
  const context = vm.createContext({});
  vm.runInContext(bundle, context, { filename: 'Code.js', timeout: 5_000 });
  const exported = (context as Record<string, unknown>)[BUNDLE_GLOBAL] as Record<string, unknown> | undefined;
  if (!exported) throw new Error(`The bundle did not define ${BUNDLE_GLOBAL}.`);
  return Object.keys(exported).filter((name) => typeof exported[name] === 'function').sort();
}

/** Bundles the server code into one plain script whose entry points are top-level functions. */
export async function bundleServerCode(apiBaseUrl: string, banner: string[]): Promise<{ code: string; entryPoints: string[] }> {
  const result = await build({
    entryPoints: [path.join(ROOT, 'addon/src/main.ts')],
    bundle: true,
    format: 'iife',
    globalName: BUNDLE_GLOBAL,
    platform: 'neutral',
    target: 'es2019',
    write: false,
    legalComments: 'none',
    define: { __ADDON_API_URL__: JSON.stringify(apiBaseUrl) },
    plugins: [refuseZod],
    logLevel: 'silent',
  });
  const bundle = result.outputFiles[0]!.text;
  const entryPoints = exportedNames(bundle);
  const stubs = entryPoints.map((name) => `function ${name}() {\n  return ${BUNDLE_GLOBAL}.${name}.apply(this, arguments);\n}\n`);
  const code = `${banner.map((line) => `// ${line}`).join('\n')}\n${bundle}\n// Entry points: Apps Script calls top-level functions.\n${stubs.join('\n')}`;
  // A plain script: import/export would be a syntax error here, as in Apps Script.
  new vm.Script(code, { filename: 'Code.js' });
  return { code, entryPoints };
}

/** What a built sidebar pulls from elsewhere (it must pull nothing: no CDN, no external script or style). */
export function externalReferences(html: string): string[] {
  // Inline script and style bodies are code, not markup: only the tags themselves count.
  const markup = html.replace(/(<(script|style)\b[^>]*>)[\s\S]*?<\/\2>/giu, '$1');
  return markup.match(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=[^>]*>/giu) ?? [];
}

/** Bundles the shared panels with the add-on host into one self-contained HTML file (React, CSS and all inlined). */
export async function bundleSidebar(apiBaseUrl: string, fixedApiUrl: boolean): Promise<string> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'addon-sidebar-'));
  // Vite and the React plugin pick development JSX and React from NODE_ENV (vitest sets "test"): build for production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await viteBuild({
      configFile: false,
      mode: 'production',
      root: path.join(ROOT, 'addon/sidebar'),
      logLevel: 'warn',
      plugins: [react(), viteSingleFile()],
      define: {
        'process.env.NODE_ENV': JSON.stringify('production'),
        __ADDON_API_URL__: JSON.stringify(apiBaseUrl),
        __ADDON_API_URL_FIXED__: JSON.stringify(fixedApiUrl),
      },
      build: { outDir, emptyOutDir: true, target: 'es2020', sourcemap: false, reportCompressedSize: false },
    });
    const html = await readFile(path.join(outDir, 'index.html'), 'utf8');
    const external = externalReferences(html);
    if (external.length > 0) throw new Error(`The sidebar must be self-contained; it references ${external.join(', ')}`);
    return html;
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    await rm(outDir, { recursive: true, force: true });
  }
}

/** `npm run build:addon`: writes dist/addon/ (Code.js, appsscript.json, sidebar.html). */
export async function buildAddon(options: BuildAddonOptions = {}): Promise<BuildAddonResult> {
  const log = options.log ?? (() => {});
  const apiUrl = resolveApiUrl('apiUrl' in options ? options.apiUrl : process.env.ADDON_API_URL, { requireExplicit: options.requireApiUrl ?? false });
  const outDir = path.resolve(options.outDir ?? path.join(ROOT, 'dist/addon'));
  const banner = [
    'Auto-Author Google Docs add-on: built by `npm run build:addon` from addon/src. Do not edit; rebuild.',
    `API: ${apiUrl.baseUrl}`,
    ...(apiUrl.placeholder ? ['PLACEHOLDER API ADDRESS: set ADDON_API_URL to the API\'s public https address before deploying.'] : []),
  ];
  if (apiUrl.placeholder) log(`warning: ADDON_API_URL is not set; building for the placeholder ${apiUrl.whitelistPrefix} (not deployable)`);

  const { code, entryPoints } = await bundleServerCode(apiUrl.baseUrl, banner);
  const source = JSON.parse(await readFile(path.join(ROOT, 'appsscript.json'), 'utf8')) as AddonManifest;
  const manifest = buildManifest(source, apiUrl);
  const sidebar = options.sidebar === 'placeholder' ? placeholderSidebar(apiUrl.baseUrl) : await bundleSidebar(apiUrl.baseUrl, !apiUrl.placeholder);

  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'Code.js'), code);
  await writeFile(path.join(outDir, 'appsscript.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(path.join(outDir, 'sidebar.html'), sidebar);
  const files = ['Code.js', 'appsscript.json', 'sidebar.html'];
  log(`wrote ${files.map((f) => path.join(path.relative(ROOT, outDir), f)).join(', ')} (${entryPoints.length} entry points, ${Math.round(code.length / 1024)} KB script)`);
  return { outDir, files, apiUrl, entryPoints, manifest };
}
