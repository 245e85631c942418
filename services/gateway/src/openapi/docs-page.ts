// The interactive API page at /api/docs: Swagger UI from the installed swagger-ui-dist package,
// every asset served by the gateway itself (no CDN), under a Content-Security-Policy of its own
// that allows scripts and styles from this origin only (no inline script, no eval).
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export interface DocsPageOptions {
  /** Where the page loads the OpenAPI document from, e.g. `/api/openapi.json`. */
  specUrl: string;
  /** The page's path; its assets are served below it. E.g. `/api/docs`. */
  prefix: string;
}

/**
 * The chassis answers every response with `default-src 'none'` (right for JSON); the page needs
 * its own scripts, styles, the inline SVG icons (data: images) and fetches to this origin for the
 * document and "Try it out". Nothing else: no inline script, no framing, no forms elsewhere.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The swagger-ui-dist files the page uses; nothing else in the package is served. */
const DIST_ASSETS = new Set([
  '/swagger-ui.css',
  '/index.css',
  '/swagger-ui-bundle.js',
  '/favicon-32x32.png',
  '/favicon-16x16.png',
]);
const INIT_SCRIPT = 'docs-init.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page: stylesheets, the UI bundle and the init script, all below `prefix`. */
export function docsHtml(options: DocsPageOptions): string {
  const base = escapeHtml(options.prefix.replace(/\/+$/, ''));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ShopNow API</title>
<link rel="stylesheet" href="${base}/swagger-ui.css">
<link rel="stylesheet" href="${base}/index.css">
<link rel="icon" type="image/png" sizes="32x32" href="${base}/favicon-32x32.png">
<link rel="icon" type="image/png" sizes="16x16" href="${base}/favicon-16x16.png">
</head>
<body>
<div id="swagger-ui" data-spec-url="${escapeHtml(options.specUrl)}"></div>
<script src="${base}/swagger-ui-bundle.js"></script>
<script src="${base}/${INIT_SCRIPT}"></script>
</body>
</html>
`;
}

/**
 * Registers the docs page at `prefix` (and `prefix/`), the init script and the Swagger UI assets
 * below it. Encapsulated: nothing it registers leaks into the rest of the app.
 */
export async function registerDocsPage(app: FastifyInstance, options: DocsPageOptions): Promise<void> {
  const prefix = options.prefix.replace(/\/+$/, '');
  const html = docsHtml(options);
  const initScript = await readFile(new URL(`./docs-assets/${INIT_SCRIPT}`, import.meta.url), 'utf8');
  const distRoot = dirname(fileURLToPath(import.meta.resolve('swagger-ui-dist/package.json')));

  await app.register(async (scope) => {
    const page = async (_request: unknown, reply: FastifyReply) =>
      reply
        .header('content-security-policy', DOCS_CSP)
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .send(html);
    scope.get(prefix, { schema: { hide: true } }, page);
    // With ignoreTrailingSlash the router already sends `prefix/` here.
    if (!scope.hasRoute({ method: 'GET', url: `${prefix}/` }))
      scope.get(`${prefix}/`, { schema: { hide: true } }, page);
    scope.get(`${prefix}/${INIT_SCRIPT}`, { schema: { hide: true } }, async (_request, reply) =>
      reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(initScript),
    );
    await scope.register(fastifyStatic, {
      root: distRoot,
      prefix: `${prefix}/`,
      index: false,
      redirect: false,
      decorateReply: false,
      serveDotFiles: false,
      // The package holds more (source maps, other bundles, its own index.html): serve only ours.
      allowedPath: (pathName) => DIST_ASSETS.has(pathName),
      maxAge: '1h',
      schemaHide: true,
    });
  });
}
