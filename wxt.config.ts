import { defineConfig } from 'wxt';
import { extensionBuildConfig, type ExtensionRuntimeConfig } from './extension/lib/build-config.js';
import { extensionIdFromKey } from './extension/lib/extension-id.js';

// The browser extension: a Chrome side panel beside Google Docs (`npm run build:extension` → .output/chrome-mv3/).
// Build-time settings (EXTENSION_API_URL, EXTENSION_OAUTH_CLIENT_ID, EXTENSION_PUBLIC_KEY) are read when WXT asks for
// the manifest and the Vite config, after it has loaded .env files.
export default defineConfig({
  srcDir: 'extension',
  modules: ['@wxt-dev/module-react'],
  manifest: () => {
    const build = extensionBuildConfig(process.env);
    return {
      name: 'Auto-Author',
      description: 'Plan, interview, draft and write your book beside your Google Doc.',
      // sidePanel: the panel; storage: settings and unsaved text; identity: Google sign-in (launchWebAuthFlow);
      // tabs: the URL and title of tabs, to offer the panel only on Google Docs (no access to any page's content).
      permissions: ['sidePanel', 'storage', 'identity', 'tabs'],
      // Only the API: the panel calls it without depending on CORS. No Google pages, no content scripts.
      host_permissions: [build.apiMatchPattern],
      action: { default_title: 'Open Auto-Author' },
      minimum_chrome_version: '116',
      ...(build.publicKey ? { key: build.publicKey } : {}),
    };
  },
  vite: () => {
    const { apiUrl, apiUrlFixed, oauthClientId } = extensionBuildConfig(process.env);
    const runtime: ExtensionRuntimeConfig = { apiUrl, apiUrlFixed, oauthClientId };
    return { define: { __AA_EXTENSION_BUILD__: JSON.stringify(runtime) } };
  },
  hooks: {
    // What the API needs to know about this build: the extension's origin, for CORS_ORIGINS.
    'build:done': async (wxt) => {
      const { apiUrl, publicKey } = extensionBuildConfig(process.env);
      if (!publicKey) {
        wxt.logger.info(`No EXTENSION_PUBLIC_KEY: the extension id follows the folder it is loaded from (chrome://extensions). API: ${apiUrl}`);
        return;
      }
      const id = await extensionIdFromKey(publicKey);
      wxt.logger.info(`Extension id ${id}. API: ${apiUrl}; allow the extension there with CORS_ORIGINS=/^chrome-extension:\\/\\/${id}$/`);
    },
  },
});
