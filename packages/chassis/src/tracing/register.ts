// `node --import @shopnow/chassis/tracing services/<name>/src/main.ts`
// Runs before the service's own modules, which instrumentation must see first.
import { register } from 'node:module';
import { isTracingConfigured } from './tracing-enabled.ts';

if (isTracingConfigured(process.env)) {
  // Built-ins and CommonJS packages (pg) are patched through require hooks even when a
  // service imports them from ESM, and undici is traced through diagnostics_channel.
  // This loader hook covers the same modules should they load as native ES modules; it
  // is scoped to them so that every other import pays nothing.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
    data: { include: ['pg', 'pg-pool', 'http', 'https'] },
  });
  const { startTracing } = await import('./start-tracing.ts');
  startTracing(process.env);
}
