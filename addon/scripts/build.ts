import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build, type Plugin } from 'esbuild';
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
  /** The sidebar's single HTML file (default: a placeholder page until the panels are built). */
  sidebarHtml?: string | null;
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

// shared/blocks.ts declares zod schemas at load time; the add-on only needs its text rules.
const zodStub: Plugin = {
  name: 'zod-stub',
  setup(b) {
    b.onResolve({ filter: /^zod(\/.*)?$/ }, () => ({ path: path.join(ROOT, 'addon/scripts/zod-stub.ts') }));
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
    plugins: [zodStub],
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
  const sidebar = options.sidebarHtml ? await readFile(options.sidebarHtml, 'utf8') : placeholderSidebar(apiUrl.baseUrl);

  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'Code.js'), code);
  await writeFile(path.join(outDir, 'appsscript.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(path.join(outDir, 'sidebar.html'), sidebar);
  const files = ['Code.js', 'appsscript.json', 'sidebar.html'];
  log(`wrote ${files.map((f) => path.join(path.relative(ROOT, outDir), f)).join(', ')} (${entryPoints.length} entry points, ${Math.round(code.length / 1024)} KB script)`);
  return { outDir, files, apiUrl, entryPoints, manifest };
}
