import '../shared/ui/zod-csp.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PanelApp } from '../shared/ui/app/PanelApp.js';
import '../shared/ui/styles.css';
import { adoptTokenFromHash, createWebHost } from './web-host.js';

const host = createWebHost(window);
await adoptTokenFromHash(window, host);
// A `#token=…` link opened in a tab already on /app changes only the fragment: take the token and start afresh with it.
window.addEventListener('hashchange', () => {
  void adoptTokenFromHash(window, host).then((adopted) => adopted && window.location.reload());
});
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PanelApp host={host} />
  </StrictMode>,
);
