// Starts Swagger UI on the page docs-page.ts serves. It is a file, not an inline script, so the
// page's Content-Security-Policy can allow scripts from 'self' only. The spec URL comes from the
// page (data-spec-url), which the server writes.
const root = document.getElementById('swagger-ui');
globalThis.ui = globalThis.SwaggerUIBundle({
  url: root.dataset.specUrl,
  domNode: root,
  deepLinking: true,
  presets: [globalThis.SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  // No call to validator.swagger.io: the page may only talk to its own origin.
  validatorUrl: null,
  persistAuthorization: false,
});
