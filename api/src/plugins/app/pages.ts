import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The pages the API serves, each a Vite build under dist/. */
export const PAGES = [
  { prefix: '/app', dir: path.join(ROOT, 'dist', 'app') },
  { prefix: '/admin', dir: path.join(ROOT, 'dist', 'admin') },
] as const;

// Strict CSP: same-origin scripts and API calls only; inline styles for the panels' style attributes.
const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'",
].join('; ');

/**
 * Helmet's headers for HTML documents only (opener policy, origin-agent cluster, DNS prefetch, download options,
 * cross-domain policies, XSS auditor), which the API's JSON answers go without; the others come from the app-wide
 * registration (plugins/external/security.ts) and are not set twice.
 */
const DOCUMENT_HEADERS = {
  contentSecurityPolicy: false, crossOriginResourcePolicy: false, referrerPolicy: false, strictTransportSecurity: false,
  xContentTypeOptions: false, xFrameOptions: false, xPoweredBy: false,
} as const;

/** An open book on the panels' accent blue. */
const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b57d0"/>'
  + '<path d="M6 9c3.5-1.2 7-.8 9.3 1.2V24c-2.3-1.8-5.8-2.2-9.3-1Zm20 0c-3.5-1.2-7-.8-9.3 1.2V24c2.3-1.8 5.8-2.2 9.3-1Z" fill="#fff"/></svg>';

/**
 * Serves the web preview at /app and the admin dashboard at /admin (built by `npm run build`); `/` opens /app. Pages
 * are not API operations, so they stay out of the OpenAPI document.
 */
export default fp(
  async (app) => {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/app'));
    // Browsers ask every origin for /favicon.ico: one small icon, so no page logs a 404 for it.
    app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON_SVG));
    for (const page of PAGES) {
      if (!existsSync(path.join(page.dir, 'index.html'))) {
        app.get(page.prefix, { schema: { hide: true } }, async (_request, reply) =>
          reply.code(503).type('text/plain; charset=utf-8').send(`${page.prefix} is not built yet: run "npm run build" (npm start does it).`),
        );
        continue;
      }
      await app.register(async (scope) => {
        await scope.register(helmet, DOCUMENT_HEADERS);
        scope.addHook('onSend', async (_request, reply) => {
          reply.header('content-security-policy', CSP);
        });
        await scope.register(fastifyStatic, { root: page.dir, prefix: `${page.prefix}/`, decorateReply: false, index: ['index.html'] });
        scope.get(page.prefix, { schema: { hide: true } }, async (_request, reply) => reply.redirect(`${page.prefix}/`));
      });
    }
  },
  { name: 'pages' },
);
