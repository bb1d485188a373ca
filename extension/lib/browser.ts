// WXT's `browser` (`chrome` in Chromium; the in-memory fake under WxtVitest), typed by @wxt-dev/browser through the
// extension's own tsconfig. Extension code imports it from here, so a change of source is one line.
export { browser } from 'wxt/browser';
export type { Browser } from '@wxt-dev/browser';
