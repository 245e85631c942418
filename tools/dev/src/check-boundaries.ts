// Architecture boundaries that a linter cannot express, checked on every `npm run lint`:
//   1. a service never imports another service's code (relative path or package name);
//   2. `src/domain/` holds pure rules: it imports only other domain files and Node
//      built-ins that do no I/O, so no HTTP, SQL, broker or chassis code leaks in.
// Imports are read from the TypeScript syntax tree (static, type-only, dynamic,
// export-from, import types), so comments and strings never produce false hits.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface Violation {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  line: number;
  message: string;
}

export interface ImportRef {
  specifier: string;
  line: number;
  /** False for `import(expr)` whose specifier is not a string literal. */
  literal: boolean;
}

// Built-ins that compute but never touch the network, disk or processes.
const DOMAIN_ALLOWED_BUILTINS = new Set([
  'node:assert',
  'node:assert/strict',
  'node:buffer',
  'node:crypto',
  'node:events',
  'node:path',
  'node:path/posix',
  'node:querystring',
  'node:string_decoder',
  'node:url',
  'node:util',
  'node:util/types',
]);

const SOURCE_FILE = /\.(ts|mts|cts)$/;

/** Every module specifier a file refers to, with the 1-based line of the specifier. */
export function readImports(fileName: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const refs: ImportRef[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const add = (node: ts.Node | undefined, at: ts.Node) => {
    if (node && ts.isStringLiteralLike(node))
      refs.push({ specifier: node.text, line: lineOf(node), literal: true });
    else refs.push({ specifier: node ? node.getText(source) : '', line: lineOf(at), literal: false });
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, node);
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node.moduleSpecifier, node);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      add(ts.isLiteralTypeNode(arg) ? arg.literal : arg, node);
    } else if (ts.isCallExpression(node) && isImportOrRequire(node)) {
      add(node.arguments[0], node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

function isImportOrRequire(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return (
    callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')
  );
}

/** Checks every source file under `<root>/services/<name>/src`. */
export function checkBoundaries(root: string): Violation[] {
  const servicesDir = join(root, 'services');
  if (!existsSync(servicesDir)) return [];
  const services = readdirSync(servicesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  const servicePackages = new Map(
    services.map((name) => [packageNameOf(join(servicesDir, name), name), name]),
  );

  const violations: Violation[] = [];
  for (const service of services) {
    const serviceDir = join(servicesDir, service);
    const srcDir = join(serviceDir, 'src');
    const domainDir = join(srcDir, 'domain');
    for (const file of listSourceFiles(srcDir)) {
      const inDomain = isInside(domainDir, file);
      for (const ref of readImports(file, readFileSync(file, 'utf8'))) {
        const problem =
          crossServiceProblem(ref, { file, service, serviceDir, servicesDir, servicePackages }) ??
          (inDomain ? domainProblem(ref, file, domainDir) : undefined);
        if (problem)
          violations.push({ file: toPosix(relative(root, file)), line: ref.line, message: problem });
      }
    }
  }
  return violations;
}

interface ServiceScope {
  file: string;
  service: string;
  serviceDir: string;
  servicesDir: string;
  servicePackages: Map<string, string>;
}

function crossServiceProblem(ref: ImportRef, scope: ServiceScope): string | undefined {
  if (!ref.literal) return `computed import(${ref.specifier}) cannot be checked; use a string literal`;
  const target = resolvePath(ref.specifier, scope.file);
  if (target !== undefined) {
    if (isInside(scope.serviceDir, target)) return undefined;
    if (isInside(scope.servicesDir, target)) {
      const other = relative(scope.servicesDir, target).split(sep)[0];
      return `service "${scope.service}" imports service "${other}" ("${ref.specifier}"); services share only packages/`;
    }
    return `"${ref.specifier}" reaches outside services/${scope.service}/; import shared code by package name`;
  }
  const other = scope.servicePackages.get(packageName(ref.specifier));
  if (other !== undefined && other !== scope.service) {
    return `service "${scope.service}" imports service "${other}" ("${ref.specifier}"); services share only packages/`;
  }
  return undefined;
}

function domainProblem(ref: ImportRef, file: string, domainDir: string): string | undefined {
  const target = resolvePath(ref.specifier, file);
  if (target !== undefined) {
    if (isInside(domainDir, target)) return undefined;
    return `domain code imports "${ref.specifier}" outside src/domain/; domain rules import only domain files`;
  }
  if (DOMAIN_ALLOWED_BUILTINS.has(ref.specifier)) return undefined;
  return `domain code imports "${ref.specifier}"; allowed: files inside src/domain/ and I/O-free built-ins (${[...DOMAIN_ALLOWED_BUILTINS].join(', ')})`;
}

/** The absolute path a relative, absolute or file: specifier points at; undefined for packages. */
function resolvePath(specifier: string, fromFile: string): string | undefined {
  if (specifier.startsWith('file:')) return fileURLToPath(specifier);
  if (specifier.startsWith('.') || isAbsolute(specifier)) return resolve(dirname(fromFile), specifier);
  return undefined;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function packageNameOf(serviceDir: string, fallback: string): string {
  const manifest = join(serviceDir, 'package.json');
  if (!existsSync(manifest)) return `@shopnow/${fallback}`;
  const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
  return name ?? `@shopnow/${fallback}`;
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function listSourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

if (import.meta.main) {
  const root = resolve(process.argv[2] ?? join(import.meta.dirname, '..', '..', '..'));
  const violations = checkBoundaries(root);
  for (const v of violations) console.error(`${v.file}:${v.line}  ${v.message}`);
  if (violations.length > 0) {
    console.error(`check-boundaries: ${violations.length} violation(s)`);
    process.exit(1);
  }
  console.log('check-boundaries: services are independent and domain code is pure');
}
