// Docker cannot run in CI, so the production image template is checked by reading it:
// the one Dockerfile, at the repository root, must keep the properties the platform relies on.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const root = join(import.meta.dirname, '..', '..', '..');

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Joins `\` continuations, drops comments and splits into stages with ARG defaults applied to FROM. */
function parseDockerfile(text: string): { globalArgs: Map<string, string>; stages: Stage[] } {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [image = '', , name] = args.split(/\s+/);
      const from = image.replace(/\$\{(\w+)\}/g, (_, arg: string) => globalArgs.get(arg) ?? '');
      stages.push({ from, name, instructions: [] });
    } else if (stages.length === 0 && upper === 'ARG') {
      const [arg = '', value = ''] = args.split('=');
      globalArgs.set(arg, value);
    } else {
      stages.at(-1)?.instructions.push({ keyword: upper, args });
    }
  }
  return { globalArgs, stages };
}

const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);

const services = readdirSync(join(root, 'services'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(root, 'services', entry.name, 'src', 'main.ts')))
  .map((entry) => entry.name);

test('every service (a services/* folder with a src/main.ts) is built by the one Dockerfile', () => {
  assert.ok(services.includes('product'));
  for (const service of services) {
    // --workspace "@shopnow/${SERVICE}" must name this folder's package.
    const pkg = JSON.parse(readFileSync(join(root, 'services', service, 'package.json'), 'utf8')) as {
      name: string;
    };
    assert.equal(pkg.name, `@shopnow/${service}`);
    // A copy per service would drift from the one that is checked here.
    assert.equal(
      existsSync(join(root, 'services', service, 'Dockerfile')),
      false,
      `services/${service}/Dockerfile`,
    );
  }
});

describe('Dockerfile', () => {
  const { globalArgs, stages } = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
  const runtime = stages.at(-1)!;
  const deps = stages.find((stage) => stage.name === 'deps');

  test('is parameterised by one SERVICE argument, with no default, refused when empty or unknown', () => {
    assert.equal(globalArgs.get('SERVICE'), '');
    const first = all(stages[0]!, 'RUN')[0]?.args ?? '';
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile's ARG reference, literally
    assert.ok(first.includes('[ -z "${SERVICE}" ]'), first);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile's ARG reference, literally
    assert.ok(first.includes('services/${SERVICE}/src/main.ts'), first);
  });

  test('is multi-stage, every stage on a slim Node 24 image', () => {
    assert.ok(stages.length >= 2, 'at least a dependency stage and a runtime stage');
    for (const stage of stages) assert.match(stage.from, /^node:24(\.\d+)*-(\w+-)?slim$/);
  });

  test('installs only production dependencies of this workspace, with the lockfile', () => {
    assert.ok(deps, 'a stage named deps');
    const install = all(deps, 'RUN')
      .map((i) => i.args)
      .find((args) => /\bnpm ci\b/.test(args));
    assert.ok(install, 'deps runs npm ci');
    assert.match(install, /--omit=dev\b/);
    assert.match(install, /--workspace "?@shopnow\/\$\{SERVICE\}"?/);
    assert.match(install, /--include-workspace-root=false/);
    for (const stage of stages) {
      for (const run of all(stage, 'RUN')) assert.doesNotMatch(run.args, /\bnpm (i|install|add)\b/);
    }
  });

  test('the runtime stage runs no npm and takes node_modules only from the deps stage', () => {
    assert.equal(all(runtime, 'RUN').length, 0);
    const copies = all(runtime, 'COPY').map((i) => i.args);
    const modules = copies.filter((args) => /node_modules/.test(args));
    assert.deepEqual(modules, ['--from=deps /app/node_modules/ node_modules/']);
  });

  test('runs in production mode as a non-root user', () => {
    assert.ok(all(runtime, 'ENV').some((i) => /\bNODE_ENV=production\b/.test(i.args)));
    const user = all(runtime, 'USER').at(-1)?.args;
    assert.ok(user, 'USER is set');
    assert.doesNotMatch(user, /^(root|0)(:|$)/);
  });

  test('exposes 8080, probes /health/live with node, starts main.ts with tracing preloaded', () => {
    assert.deepEqual(
      all(runtime, 'EXPOSE').map((i) => i.args),
      ['8080'],
    );
    const health = all(runtime, 'HEALTHCHECK').at(-1)?.args ?? '';
    assert.match(health, /CMD \["node",/);
    assert.match(health, /\/health\/live/);
    const cmd = JSON.parse(all(runtime, 'CMD').at(-1)?.args ?? 'null') as string[];
    assert.deepEqual(cmd, ['node', '--import', '@shopnow/chassis/tracing', 'src/main.ts']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile's ARG reference, literally
    assert.ok(all(runtime, 'WORKDIR').some((i) => i.args === '/app/services/${SERVICE}'));
  });
});

test('.dockerignore keeps dependencies, local state and git history out of the build context', () => {
  const patterns = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const required of ['**/node_modules', '.shopnow', '.git'])
    assert.ok(patterns.includes(required), required);
  assert.ok(
    !patterns.some((p) => /package(-lock)?\.json/.test(p)),
    'manifests and the lockfile must stay in',
  );
});
