import path from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';

/** Debian's Chromium (puppeteer cannot download a browser here). */
export const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
/** Flags for headless Chromium as root on a machine without network access (notes/toolchain.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
];

/** Collects the page's uncaught errors and console errors (failed loads aside, which tests provoke on purpose). */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource|net::ERR/u.test(message.text())) errors.push(message.text());
  });
  return errors;
}

/**
 * What an author does in the shared panels (shared/ui), whichever host renders them: press a button by its name,
 * open a panel, type or paste, wait for text or for every field to be saved. On a failed wait the page is saved as a
 * screenshot in `artifacts` and its text goes into the error.
 */
export function panelPage(page: Page, options: { artifacts: string }) {
  const shot = (name: string) => page.screenshot({ path: path.join(options.artifacts, `${name}.png`), fullPage: true });
  const failed = async (what: string, error: unknown): Promise<never> => {
    await shot(`failed-${what.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}`).catch(() => {});
    const text = await page.evaluate(() => document.body.innerText).catch(() => '(page gone)');
    throw new Error(`${what}; the page said:\n${text}`, { cause: error });
  };
  return {
    page,
    shot,
    /** Clicks the button whose text (or aria-label) is exactly `name`. */
    async click(name: string) {
      await page.locator(`::-p-aria([name="${name}"][role="button"])`).click();
    },
    /** Waits until the page's visible text contains `text`. */
    async seeText(text: string, timeout = 15_000) {
      try {
        await page.waitForFunction((wanted: string) => document.body.innerText.includes(wanted), { timeout }, text);
      } catch (error) {
        await failed(`"${text}" never appeared`, error);
      }
    },
    async openNav(label: string) {
      await page.locator(`.aa-app button[data-panel="${label.toLowerCase()}"]`).click();
    },
    /** Every save-status element in the page reports `saved`. */
    async allSaved(timeout = 15_000) {
      try {
        await page.waitForFunction(() => {
          const states = [...document.querySelectorAll('[data-save-status]')].map((el) => el.getAttribute('data-save-status'));
          return states.length > 0 && states.every((s) => s === 'saved');
        }, { timeout });
      } catch (error) {
        await failed('not everything was saved', error);
      }
    },
    /** Pastes text into a field as the author would (one input event through the native setter React listens to). */
    async paste(field: string | ElementHandle<Element>, text: string) {
      const handle = typeof field === 'string' ? await page.$(field) : field;
      if (!handle) throw new Error(`No field ${String(field)}`);
      await handle.evaluate((el, value) => {
        const input = el as HTMLTextAreaElement | HTMLInputElement;
        const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value')!.set!;
        input.focus();
        setter.call(input, value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }, text);
    },
    async typeInto(selector: string, text: string, delay = 0) {
      await page.locator(selector).click();
      await page.type(selector, text, { delay });
    },
  };
}

export type PanelPage = ReturnType<typeof panelPage>;
