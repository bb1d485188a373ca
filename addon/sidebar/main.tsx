import '../../shared/ui/zod-csp.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PanelApp } from '../../shared/ui/app/PanelApp.js';
import '../../shared/ui/styles.css';
import { createAddonHost } from './addon-host.js';
import { createScriptRun, type GoogleScriptRunner } from './script-run.js';

// Filled in by the add-on build from ADDON_API_URL.
declare const __ADDON_API_URL__: string;
declare const __ADDON_API_URL_FIXED__: boolean;

/** localStorage, unless the browser refuses it to this sandboxed frame. */
function localStorageOrNull(): Storage | null {
  try {
    const storage = window.localStorage;
    storage.getItem('aa.probe');
    return storage;
  } catch {
    return null;
  }
}

const google = (window as unknown as { google: { script: { run: GoogleScriptRunner } } }).google;
const host = createAddonHost({
  run: createScriptRun(google.script.run),
  storage: localStorageOrNull(),
  defaultApiUrl: __ADDON_API_URL__,
  fixedApiUrl: __ADDON_API_URL_FIXED__,
  openWindow: (url) => void window.open(url, '_blank', 'noopener'),
});
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PanelApp host={host} />
  </StrictMode>,
);
