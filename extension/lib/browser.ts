import type { Browser } from '@wxt-dev/browser';
import { browser as wxtBrowser } from 'wxt/browser';

/**
 * WXT's `browser` (`chrome` in Chromium; the in-memory fake under WxtVitest), typed. wxt/browser reaches its
 * @types/chrome-based types through an extension-less import that the root tsconfig's NodeNext resolution cannot
 * follow, which would leave it `any`; this names the same declarations directly.
 */
export const browser: typeof Browser = wxtBrowser as unknown as typeof Browser;
export type { Browser };
