import '../../../shared/ui/zod-csp.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PanelApp } from '../../../shared/ui/app/PanelApp.js';
import '../../../shared/ui/styles.css';
import { runtimeConfig } from '../../lib/build-config.js';
import { createExtensionHost } from '../../lib/extension-host.js';

const host = createExtensionHost({ search: window.location.search, config: runtimeConfig() });
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PanelApp host={host} />
  </StrictMode>,
);
