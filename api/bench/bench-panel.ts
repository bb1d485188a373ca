// `npm run bench:panel`: the extension's side panel (issue 5: "≤ 250 KB gzip and < 500 ms first render"). Builds
// the extension when .output/chrome-mv3 is missing or older than its sources, sums the gzip size of the JS
// sidepanel.html loads, then times the panel's first render in headless Chromium against a minimal extension page
// measured in the same browser, interleaved. No API server: without settings the panel opens on Connect.
// See BENCHMARKS.md ("bench:panel").
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import puppeteer, { type Browser } from 'puppeteer-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/helpers/panel-page.js';
import { newestSourceMtime } from '../test/helpers/source-mtime.js';
import { percentile } from './ai-client.js';
import { KB, measureFile, pageAssets, sum, table, type PageFile } from './panel-assets.js';
import { measureFirstRender, type RenderSample } from './panel-render.js';
import { REPO_ROOT } from './processes.js';

/** The goals from issue 5. */
const TARGETS = { gzipMaxKb: 250, renderMaxMs: 500 } as const;
const OUTPUT_DIR = path.join(REPO_ROOT, '.output', 'chrome-mv3');
/** What `npm run build:extension` reads (the same list the extension browser test checks). */
const BUILD_SOURCES = { dirs: ['extension', 'shared'], files: ['wxt.config.ts', 'package.json'] };
const PANEL_PAGE = 'sidepanel.html';
const PANEL_QUERY = '?documentId=bench&title=Bench';
/** Written into the temporary copy of the build: an extension page that renders the same marker with one tiny module. */
const BASELINE_PAGE = 'bench-baseline.html';
/** The open panel's content (any panel renders into <main class="aa-main">); without settings that is Connect. */
const RENDER_SELECTOR = '.aa-main > *';
const EXPECT_TEXT = 'Connect';
const PAGE_TIMEOUT_MS = 15_000;
const BUILD_TIMEOUT_MS = 90_000;

function envInt(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

const out = (text = '') => process.stdout.write(`${text}\n`);
const kb = (bytes: number) => (bytes / KB).toFixed(1);
const ms = (value: number | null) => (value === null || Number.isNaN(value) ? 'n/a' : value.toFixed(1));
const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');

function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** Children to kill if the bench dies without reaching its `finally` (the build, Chromium). */
const running = new Set<ChildProcess>();
/** SIGKILL to a child still running, and to its process group (wxt's and Chromium's helpers) when it leads one. */
function killTree(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
/** Temporary files of this run (the build copy with the baseline page, Chromium's profile). */
let workDir: string | null = null;
process.on('exit', () => {
  for (const child of running) killTree(child);
  if (workDir) removeDir(workDir);
});

/** Chromium's helpers can still be writing to the profile right after it closed: retry, and never fail the run on it. */
function removeDir(dir: string) {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch (error) {
    console.error(`Could not delete ${dir}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const delay = (msToWait: number) => new Promise<void>((resolve) => setTimeout(resolve, msToWait).unref());

/**
 * Closes Chromium (a hung one gets 5 s, then SIGKILL), waits for its process to exit, then kills what is left of its
 * process group (Puppeteer starts it as a group leader): helpers such as the storage service can outlive the browser
 * process for a moment and would keep writing into the profile being deleted.
 */
async function stopChromium(browser: Browser) {
  const chromium = browser.process();
  await Promise.race([browser.close().catch(() => {}), delay(5_000)]);
  if (!chromium?.pid) return;
  if (chromium.exitCode === null && chromium.signalCode === null) {
    const exited = new Promise<void>((resolve) => chromium.once('exit', () => resolve()));
    killTree(chromium);
    await Promise.race([exited, delay(2_000)]);
  }
  try {
    process.kill(-chromium.pid, 'SIGKILL');
  } catch {
    // ESRCH: nothing left in the group.
  }
  await delay(100);
}

/** When the build was made (the older of its manifest and the panel page), or null when there is none. */
function builtAt(): number | null {
  const files = ['manifest.json', PANEL_PAGE].map((file) => path.join(OUTPUT_DIR, file));
  return files.every((file) => existsSync(file)) ? Math.min(...files.map((file) => statSync(file).mtimeMs)) : null;
}

/** `npm run build:extension` (NODE_ENV=production wxt build -b chrome) in its own process group, so it can be stopped whole. */
function buildExtension(): Promise<void> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'wxt', 'bin', 'wxt.mjs'), 'build', '-b', 'chrome'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => killTree(child), BUILD_TIMEOUT_MS);
    child.once('error', (error) => reject(new Error(`wxt build could not start: ${error.message}`)));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) resolve();
      else reject(new Error(`wxt build failed (${signal ?? `code ${code}`}). Its output:\n${output.trim()}`));
    });
  });
}

async function ensureBuilt(): Promise<string> {
  const force = ['1', 'true'].includes(process.env.BENCH_PANEL_REBUILD ?? '');
  const built = builtAt();
  const sources = newestSourceMtime(REPO_ROOT, BUILD_SOURCES);
  const reason = force ? 'BENCH_PANEL_REBUILD=1' : built === null ? 'no build' : built < sources ? 'older than its sources' : null;
  if (!reason) return 'up to date';
  const started = performance.now();
  out(`Building the extension (${reason}): NODE_ENV=production wxt build -b chrome …`);
  await buildExtension();
  if (builtAt() === null) throw new Error(`wxt build left no ${PANEL_PAGE} or manifest.json in ${OUTPUT_DIR}`);
  return `built now (${reason}) in ${((performance.now() - started) / 1000).toFixed(1)} s`;
}

/** A copy of the build with the baseline page added, so a rebuild by someone else cannot change files mid-run. */
function prepareCopy(into: string): string {
  const dir = path.join(into, 'extension');
  cpSync(OUTPUT_DIR, dir, { recursive: true });
  writeFileSync(path.join(dir, BASELINE_PAGE), [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '  <head>',
    '    <meta charset="utf-8">',
    '    <meta name="viewport" content="width=device-width, initial-scale=1">',
    '    <title>Baseline</title>',
    '    <script type="module" src="/bench-baseline.js"></script>',
    '  </head>',
    '  <body>',
    '    <div id="root"></div>',
    '  </body>',
    '</html>',
    '',
  ].join('\n'));
  // Extension pages allow no inline script (MV3 CSP): one tiny module, loaded like the panel's, renders the marker.
  writeFileSync(path.join(dir, 'bench-baseline.js'),
    "document.getElementById('root').innerHTML = '<div class=\"aa-app\"><main class=\"aa-main\"><section><h2>Connect</h2></section></main></div>';\n");
  return dir;
}

function reportSize(scripts: PageFile[], lazy: PageFile[], styles: PageFile[]): number {
  out(`\nJS the side panel loads (${PANEL_PAGE}: module scripts and modulepreload links, then static imports; gzip -9, 1 KB = 1 024 bytes):`);
  const rows = scripts.map((f) => [f.file, kb(f.rawBytes), kb(f.gzipBytes), f.via]);
  out(table([['file', 'raw KB', 'gzip KB', 'loaded by'], ...rows, ['total', kb(sum(scripts, 'rawBytes')), kb(sum(scripts, 'gzipBytes')), '']]));
  if (lazy.length > 0) out(`Not counted, loaded later on demand (dynamic import): ${lazy.length} chunk(s), ${kb(sum(lazy, 'rawBytes'))} KB raw, ${kb(sum(lazy, 'gzipBytes'))} KB gzip.`);
  for (const f of styles) out(`Not counted, CSS: ${f.file} ${kb(f.rawBytes)} KB raw, ${kb(f.gzipBytes)} KB gzip.`);
  return sum(scripts, 'gzipBytes');
}

interface Series {
  name: string;
  url: string;
  samples: RenderSample[];
  first?: RenderSample;
}

function stats(values: number[]) {
  return { p50: percentile(values, 50), p95: percentile(values, 95), min: Math.min(...values), max: Math.max(...values) };
}

function reportRender(series: Series[], runs: number) {
  const rows = series.map(({ name, samples, first }) => {
    const render = stats(samples.map((s) => s.renderMs));
    const fcp = samples.flatMap((s) => (s.fcpMs === null ? [] : [s.fcpMs]));
    return [
      name, ms(render.p50), ms(render.p95), ms(render.min), ms(render.max),
      fcp.length > 0 ? ms(percentile(fcp, 50)) : 'n/a', ms(percentile(samples.map((s) => s.dclMs), 50)), ms(first?.renderMs ?? null),
    ];
  });
  out(table([['page', 'render p50 ms', 'p95 ms', 'min ms', 'max ms', 'FCP p50 ms', 'DCL p50 ms', 'first load ms'], ...rows]));
  const [baseline, panel] = series.map((s) => stats(s.samples.map((x) => x.renderMs)));
  out(`side panel ÷ baseline: ×${(panel!.p50 / baseline!.p50).toFixed(2)} at p50, ×${(panel!.p95 / baseline!.p95).toFixed(2)} at p95 (${runs} runs each)`);
  return panel!;
}

async function main(): Promise<number> {
  const runs = envInt('BENCH_PANEL_RUNS', 20, 1, 200);
  const deadlineS = envInt('BENCH_PANEL_TIMEOUT_S', 110, 10, 3_600);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'auto-author-bench-panel-'));
  workDir = tmp;
  let browser: Browser | null = null;
  // One clean-up, however many ways the run ends at once (a signal makes the measuring fail too): the process exits
  // only once Chromium is gone and the temporary folder deleted.
  let cleaning: Promise<void> | null = null;
  const cleanUp = () => (cleaning ??= (async () => {
    if (browser) await stopChromium(browser);
    for (const child of running) killTree(child);
    removeDir(tmp);
    workDir = null;
  })());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      interrupted = true;
      void cleanUp().finally(() => process.exit(130));
    });
  }

  let deadline: NodeJS.Timeout | undefined;
  const overrun = new Promise<never>((_, reject) => {
    deadline = setTimeout(() => reject(new Error(`the run took longer than ${deadlineS} s (BENCH_PANEL_TIMEOUT_S)`)), deadlineS * 1000);
  });

  const work = async () => {
    const cpu = os.cpus();
    out(`Auto-Author side panel benchmark: ${cpu.length} CPU(s) (${cpu[0]?.model.trim() ?? 'unknown'}), Node ${process.version}; code ${codeVersion()}`);
    const load1 = os.loadavg()[0] ?? 0;
    if (load1 > 1) out(`Load average ${load1.toFixed(2)} before starting: other work shares these cores, so expect noisy timings.`);
    out(`Extension build (.output/chrome-mv3): ${await ensureBuilt()}`);
    const extensionDir = prepareCopy(tmp);

    // (1) Size.
    const assets = pageAssets(extensionDir, PANEL_PAGE);
    const gzipBytes = reportSize(assets.scripts, assets.lazy, assets.styles);

    // (2) + (3) First render, panel and baseline interleaved in one browser.
    const userDataDir = path.join(tmp, 'profile');
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir,
      enableExtensions: true,
      args: [...CHROMIUM_ARGS, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
      timeout: 30_000,
      // This script's own handlers close the browser and delete the profile on Ctrl-C.
      handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    });
    running.add(browser.process()!);
    const worker = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'), { timeout: 20_000 });
    const extensionId = new URL(worker.url()).host;
    out(`\nFirst render in headless ${await browser.version()} (extension ${extensionId}), viewport 360×780: ms from navigation start until ` +
      `"${RENDER_SELECTOR}" is in the DOM (MutationObserver + performance.now(), injected before the page's scripts). ` +
      `One fresh tab per run; 1 unmeasured first load each, then ${runs} runs each, interleaved.`);
    const series: Series[] = [
      { name: 'baseline (1 tiny module)', url: `chrome-extension://${extensionId}/${BASELINE_PAGE}`, samples: [] },
      { name: `side panel (${PANEL_PAGE})`, url: `chrome-extension://${extensionId}/${PANEL_PAGE}${PANEL_QUERY}`, samples: [] },
    ];
    const measure = (s: Series) => measureFirstRender(browser!, s.url, { selector: RENDER_SELECTOR, expectText: EXPECT_TEXT, timeoutMs: PAGE_TIMEOUT_MS });
    for (const s of series) s.first = await measure(s);
    for (let run = 0; run < runs; run += 1) {
      for (const s of run % 2 === 0 ? series : [...series].reverse()) s.samples.push(await measure(s));
    }
    const panel = reportRender(series, runs);

    // What the browser actually fetched vs what the size figure counted.
    const panelSeries = series[1]!;
    const loaded = new Set([panelSeries.first!, ...panelSeries.samples].flatMap((s) => s.scripts));
    const counted = new Set(assets.scripts.map((f) => f.file));
    const extra = [...loaded].filter((file) => !counted.has(file));
    const unfetched = [...counted].filter((file) => !loaded.has(file));
    let totalGzip = gzipBytes;
    if (extra.length === 0 && unfetched.length === 0) {
      out(`The panel fetched exactly the ${counted.size} script(s) counted above.`);
    } else {
      if (unfetched.length > 0) out(`Counted but never fetched by the panel: ${unfetched.join(', ')}`);
      if (extra.length > 0) {
        totalGzip += sum(extra.map((file) => measureFile(extensionDir, file, 'browser')), 'gzipBytes');
        out(`Also fetched by the panel while opening (added to the figure below): ${extra.join(', ')}`);
      }
    }
    const errors = [...new Set(panelSeries.samples.flatMap((s) => s.errors))];
    if (errors.length > 0) out(`Uncaught errors in the panel: ${errors.join('; ')}`);

    out('');
    out(`${verdict(totalGzip / KB <= TARGETS.gzipMaxKb)}  side panel JS ≤ ${TARGETS.gzipMaxKb} KB gzip: ${kb(totalGzip)} KB (${kb(sum(assets.scripts, 'rawBytes'))} KB raw)`);
    out(`${verdict(panel.p95 < TARGETS.renderMaxMs)}  side panel first render p95 < ${TARGETS.renderMaxMs} ms: ${ms(panel.p95)} ms (p50 ${ms(panel.p50)} ms)`);
    out('\nTimings are on this machine with whatever else it runs: compare the ratio to the baseline from the same run.');
    return 0;
  };

  try {
    return await Promise.race([work(), overrun]);
  } finally {
    clearTimeout(deadline);
    await cleanUp();
  }
}

let interrupted = false;

main().then(
  (code) => {
    // Interrupted: the signal handler exits once the clean-up is done.
    if (!interrupted) process.exit(code);
  },
  (error: unknown) => {
    if (interrupted) return;
    console.error(`bench:panel failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
