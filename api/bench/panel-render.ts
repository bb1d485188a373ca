import type { Browser } from 'puppeteer-core';

// First render of an extension page in Chromium, timed inside the page: a script added with
// evaluateOnNewDocument (it runs before any of the page's own scripts) watches the document with a MutationObserver
// and records `performance.now()` (milliseconds since the navigation started: performance.timeOrigin) the first time
// `selector` matches. A MutationObserver callback runs right after the DOM change that caused it (same task), so
// this is the moment the content is in the DOM, before it is painted. First contentful paint (a PerformanceObserver
// on "paint") and DOMContentLoaded are read from the same page for comparison.

export interface RenderSample {
  /** ms from navigation start until `selector` matched. */
  renderMs: number;
  /** First contentful paint, ms from navigation start (null if Chromium reported none within a second). */
  fcpMs: number | null;
  /** DOMContentLoaded end, ms from navigation start. */
  dclMs: number;
  /** Output-relative paths of the scripts the page requested from the extension. */
  scripts: string[];
  /** Uncaught errors in the page. */
  errors: string[];
}

interface BenchState {
  renderMs: number | null;
  fcpMs: number | null;
}
type BenchWindow = { __aaBench?: BenchState };

/** Runs in the page before its own scripts (serialized by Puppeteer: no references outside the function). */
function observeFirstRender(selector: string) {
  const state: BenchState = { renderMs: null, fcpMs: null };
  (window as unknown as BenchWindow).__aaBench = state;
  const observer = new MutationObserver(() => {
    if (state.renderMs === null && document.querySelector(selector)) {
      state.renderMs = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint') state.fcpMs = entry.startTime;
  }).observe({ type: 'paint', buffered: true });
}

/**
 * Opens `url` in a fresh tab (closed afterwards), waits until `selector` is in the DOM and its text contains
 * `expectText` (so a crash or an error screen is never timed as a render), and returns the timings.
 */
export async function measureFirstRender(
  browser: Browser,
  url: string,
  options: { selector: string; expectText: string; timeoutMs: number },
): Promise<RenderSample> {
  const page = await browser.newPage();
  try {
    // The width of Chrome's side panel; the height of a laptop screen.
    await page.setViewport({ width: 360, height: 780 });
    // Not `URL#origin`: Node gives "null" for the chrome-extension: scheme.
    const { protocol, host } = new URL(url);
    const origin = `${protocol}//${host}`;
    const scripts: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script' && request.url().startsWith(`${origin}/`)) scripts.push(new URL(request.url()).pathname.slice(1));
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.evaluateOnNewDocument(observeFirstRender, options.selector);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: options.timeoutMs });
    try {
      await page.waitForFunction(() => (window as unknown as BenchWindow).__aaBench?.renderMs != null, { timeout: options.timeoutMs });
    } catch (error) {
      const text = await page.evaluate(() => document.body?.innerText ?? '').catch(() => '(page gone)');
      throw new Error(`${url}: nothing matched ${options.selector} within ${options.timeoutMs} ms; the page said: ${text.trim() || '(nothing)'}${errors.length ? `; errors: ${errors.join('; ')}` : ''}`, { cause: error });
    }
    await page.waitForFunction(() => (window as unknown as BenchWindow).__aaBench?.fcpMs != null, { timeout: 1_000 }).catch(() => {});
    const read = await page.evaluate((selector: string) => {
      const state = (window as unknown as BenchWindow).__aaBench!;
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return { ...state, dclMs: navigation?.domContentLoadedEventEnd ?? Number.NaN, text: document.querySelector(selector)?.textContent ?? '' };
    }, options.selector);
    if (!read.text.includes(options.expectText)) {
      throw new Error(`${url}: ${options.selector} rendered "${read.text.slice(0, 200)}", not "${options.expectText}"${errors.length ? `; errors: ${errors.join('; ')}` : ''}`);
    }
    return { renderMs: read.renderMs!, fcpMs: read.fcpMs, dclMs: read.dclMs, scripts, errors };
  } finally {
    await page.close().catch(() => {});
  }
}
