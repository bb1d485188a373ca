import { gas } from './apps-script.js';
import type { GasTriggerEvent } from './apps-script-slices.js';
import { signOut } from './server-functions.js';

export const SIDEBAR_FILE = 'sidebar';
export const SIDEBAR_TITLE = 'Auto-Author';

/**
 * Adds the Extensions › Auto-Author menu. In AuthMode.NONE (installed, not yet used in this doc) only the menu
 * may be touched — no properties, document or fetch — and only the entry that opens the sidebar is offered.
 */
export function onOpen(e?: GasTriggerEvent): void {
  const { DocumentApp, ScriptApp } = gas;
  const menu = DocumentApp.getUi().createAddonMenu().addItem('Open Auto-Author', 'showSidebar');
  if (e?.authMode !== ScriptApp.AuthMode.NONE) menu.addSeparator().addItem('Sign out of Auto-Author', 'signOutFromMenu');
  menu.addToUi();
}

/** Runs once in AuthMode.FULL when the add-on is installed: set up the menu in the doc it was installed from. */
export function onInstall(e?: GasTriggerEvent): void {
  onOpen(e);
}

/** Opens the sidebar with the panels (one self-contained HTML file). */
export function showSidebar(): void {
  const { DocumentApp, HtmlService } = gas;
  DocumentApp.getUi().showSidebar(HtmlService.createHtmlOutputFromFile(SIDEBAR_FILE).setTitle(SIDEBAR_TITLE));
}

/** Menu entry: forget the stored API token. */
export function signOutFromMenu(): void {
  signOut();
  gas.DocumentApp.getUi().alert('Signed out of Auto-Author. Open the sidebar to sign in again.');
}
