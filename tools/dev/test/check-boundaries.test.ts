import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { checkBoundaries, readImports } from '../src/check-boundaries.ts';

const cli = join(import.meta.dirname, '..', 'src', 'check-boundaries.ts');
const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Writes a fixture repository: { 'services/a/src/x.ts': 'source', ... }. */
function fixture(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'boundaries-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const cleanTree = {
  'services/product/package.json': JSON.stringify({ name: '@shopnow/product' }),
  'services/product/src/main.ts':
    "import { runService } from '@shopnow/chassis';\nimport { buildApp } from './app.ts';\n",
  'services/product/src/app.ts':
    "import Fastify from 'fastify';\nimport { price } from './domain/price.ts';\n",
  'services/product/src/store/products.ts':
    "import type pg from 'pg';\nexport * from '../domain/money.ts';\n",
  'services/product/src/domain/price.ts': [
    "import { randomUUID } from 'node:crypto';",
    "import type { Money } from './money.ts';",
    "import { slugify } from './text/slug.ts';",
    '// a comment mentioning fastify: import x from "fastify"',
    'const note = "import(\'pg\')";',
  ].join('\n'),
  'services/product/src/domain/money.ts': 'export type Money = { amount: number; currency: string };\n',
  'services/product/src/domain/text/slug.ts':
    "import { isDeepStrictEqual } from 'node:util';\nexport * from '../money.ts';\n",
  'services/cart/package.json': JSON.stringify({ name: '@shopnow/cart' }),
  'services/cart/src/main.ts': "import { createServiceClient } from '@shopnow/chassis';\n",
};

describe('readImports', () => {
  test('finds static, type-only, export-from, dynamic and import-type specifiers with their lines', () => {
    const text = [
      "import a from 'a';",
      "import type { B } from 'b';",
      "export { c } from 'c';",
      'export * from "d";',
      "const e = await import('e');",
      "type F = import('f').F;",
      "import 'g';",
      'const h = await import(`h`);',
      'const i = await import(name);',
    ].join('\n');
    assert.deepEqual(
      readImports('x.ts', text).map((r) => [r.specifier, r.line, r.literal]),
      [
        ['a', 1, true],
        ['b', 2, true],
        ['c', 3, true],
        ['d', 4, true],
        ['e', 5, true],
        ['f', 6, true],
        ['g', 7, true],
        ['h', 8, true],
        ['name', 9, false],
      ],
    );
  });
});

describe('checkBoundaries', () => {
  test('a clean tree passes', () => {
    assert.deepEqual(checkBoundaries(fixture(cleanTree)), []);
  });

  test('a service importing another service is reported by relative path and by package name', () => {
    const root = fixture({
      ...cleanTree,
      'services/cart/src/http/routes.ts': [
        "import Fastify from 'fastify';",
        '',
        "import { findProduct } from '../../../product/src/store/products.ts';",
      ].join('\n'),
      'services/cart/src/app.ts':
        "import { x } from './x.ts';\nconst p = await import('@shopnow/product/sub');\n",
    });
    const found = checkBoundaries(root);
    assert.deepEqual(
      found.map((v) => `${v.file}:${v.line}`),
      ['services/cart/src/app.ts:2', 'services/cart/src/http/routes.ts:3'],
    );
    for (const v of found) assert.match(v.message, /service "cart" imports service "product"/);
  });

  test('domain code importing I/O, framework or non-domain files is reported with its line', () => {
    const root = fixture({
      ...cleanTree,
      'services/product/src/domain/rules.ts': [
        "import { Money } from './money.ts';", // 1: fine
        "import { request } from 'node:http';", // 2
        "import type { FastifyInstance } from 'fastify';", // 3
        "export { findProduct } from '../store/products.ts';", // 4
        "import { AppError } from '@shopnow/chassis';", // 5
        "const pg = await import('pg');", // 6
        "import { readFile } from 'node:fs/promises';", // 7
        "import { hash } from 'crypto';", // 8: built-in without node: prefix
        "import { createHash } from 'node:crypto';", // 9: fine
      ].join('\n'),
    });
    const found = checkBoundaries(root);
    assert.deepEqual(
      found.map((v) => v.line),
      [2, 3, 4, 5, 6, 7, 8],
    );
    for (const v of found) {
      assert.equal(v.file, 'services/product/src/domain/rules.ts');
      assert.match(v.message, /^domain code imports /);
    }
  });

  test('relative imports that leave the service, and computed imports, are reported', () => {
    const root = fixture({
      ...cleanTree,
      'services/product/src/app.ts': [
        "import { x } from '../../../packages/chassis/src/index.ts';",
        'const m = await import(moduleName);',
      ].join('\n'),
    });
    const found = checkBoundaries(root);
    assert.deepEqual(
      found.map((v) => v.line),
      [1, 2],
    );
    assert.match(found[0]?.message ?? '', /outside services\/product\//);
    assert.match(found[1]?.message ?? '', /computed import/);
  });

  test('the command prints file:line for each violation and exits 1; a clean tree exits 0', async () => {
    const run = promisify(execFile);
    const bad = fixture({ ...cleanTree, 'services/product/src/domain/io.ts': "\nimport pg from 'pg';\n" });
    await assert.rejects(run(process.execPath, [cli, bad]), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr, /^services\/product\/src\/domain\/io\.ts:2 {2}domain code imports "pg"/m);
      return true;
    });
    const ok = await run(process.execPath, [cli, fixture(cleanTree)]);
    assert.match(ok.stdout, /check-boundaries:/);
  });
});
