// The /api/docs page on an app built by the chassis (whose default CSP forbids everything): the
// HTML loads only local assets, no inline script, under its own CSP; every asset is served with
// the right type; nothing else from swagger-ui-dist is reachable.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type App, createApp } from '@shopnow/chassis';
import { request } from 'undici';
import { DOCS_CSP, registerDocsPage } from '../src/openapi/docs-page.ts';

let app: App;
let base: string;

async function get(path: string) {
  const response = await request(`${base}${path}`);
  return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
}

/** Every src/href in the page. */
function references(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? '');
}

describe('docs page', () => {
  before(async () => {
    app = await createApp({ service: 'gateway', version: '0.0.0', logLevel: 'silent' });
    await registerDocsPage(app, { specUrl: '/api/openapi.json', prefix: '/api/docs' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await app.close();
  });

  test('GET /api/docs is an HTML page that loads only local assets and no inline script', async () => {
    const page = await get('/api/docs');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    const refs = references(page.body);
    assert.deepEqual(refs.sort(), [
      '/api/docs/docs-init.js',
      '/api/docs/favicon-16x16.png',
      '/api/docs/favicon-32x32.png',
      '/api/docs/index.css',
      '/api/docs/swagger-ui-bundle.js',
      '/api/docs/swagger-ui.css',
    ]);
    assert.doesNotMatch(page.body, /https?:\/\//, 'no absolute URL (no CDN)');
    // Every <script> has a src and an empty body; no inline event handlers or styles.
    for (const script of page.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
      assert.match(script[1] ?? '', /\ssrc="/);
      assert.equal(script[2], '');
    }
    assert.doesNotMatch(page.body, /\son[a-z]+=|<style|\sstyle=/i);
    assert.match(page.body, /data-spec-url="\/api\/openapi\.json"/);
    // The trailing-slash form is the same page.
    assert.equal((await get('/api/docs/')).body, page.body);
  });

  test('the page has its own CSP: scripts and styles from self only, nothing inline or eval', async () => {
    const page = await get('/api/docs');
    const csp = String(page.headers['content-security-policy']);
    assert.equal(csp, DOCS_CSP);
    const directives = new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/) as [string, ...string[]])
        .map(([k, ...v]) => [k, v]),
    );
    assert.deepEqual(directives.get('script-src'), ["'self'"]);
    assert.deepEqual(directives.get('style-src'), ["'self'"]);
    assert.deepEqual(directives.get('connect-src'), ["'self'"]);
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    // Other routes keep the chassis's JSON-API policy.
    const health = await get('/health/live');
    assert.equal(health.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
  });

  test('every asset the page references is served with its content type', async () => {
    const expected: Record<string, RegExp> = {
      '/api/docs/docs-init.js': /^(text|application)\/javascript/,
      '/api/docs/swagger-ui-bundle.js': /^(text|application)\/javascript/,
      '/api/docs/swagger-ui.css': /^text\/css/,
      '/api/docs/index.css': /^text\/css/,
      '/api/docs/favicon-32x32.png': /^image\/png$/,
      '/api/docs/favicon-16x16.png': /^image\/png$/,
    };
    for (const [path, type] of Object.entries(expected)) {
      const asset = await get(path);
      assert.equal(asset.status, 200, path);
      assert.match(String(asset.headers['content-type']), type, path);
      assert.ok(asset.body.length > 0, path);
    }
    assert.match((await get('/api/docs/swagger-ui-bundle.js')).body, /SwaggerUIBundle/);
    const init = (await get('/api/docs/docs-init.js')).body;
    assert.match(init, /SwaggerUIBundle\(/);
    assert.match(init, /dataset\.specUrl/);
    assert.match(init, /validatorUrl: null/);
  });

  test('nothing else from swagger-ui-dist is served, and no path escapes it', async () => {
    for (const path of [
      '/api/docs/index.html',
      '/api/docs/swagger-initializer.js',
      '/api/docs/swagger-ui-bundle.js.map',
      '/api/docs/package.json',
      '/api/docs/../package.json',
      '/api/docs/%2e%2e/package.json',
      '/api/docs/%2e%2e%2fpackage.json',
    ]) {
      assert.equal((await get(path)).status, 404, path);
    }
  });

  test('spec URL and prefix are written safely into the page', async () => {
    const other = await createApp({ service: 'gateway', version: '0.0.0', logLevel: 'silent' });
    try {
      await registerDocsPage(other, { specUrl: '/v"1/<spec>.json', prefix: '/docs/' });
      const page = await other.inject({ url: '/docs' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /data-spec-url="\/v&#34;1\/&#60;spec&#62;\.json"/);
      assert.match(page.body, /src="\/docs\/swagger-ui-bundle\.js"/);
      assert.equal((await other.inject({ url: '/docs/swagger-ui.css' })).statusCode, 200);
    } finally {
      await other.close();
    }
  });
});
