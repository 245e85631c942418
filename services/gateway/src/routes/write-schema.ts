// Writes services/gateway/routes.schema.json (the route table's JSON Schema, which routes.json
// names in `$schema` so editors complete and check it). Run after changing route-table-schema.ts:
//   node services/gateway/src/routes/write-schema.ts
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { RouteTableFileSchema } from './route-table-schema.ts';

/** Where the schema file lives (next to routes.json). */
export const ROUTES_SCHEMA_FILE = fileURLToPath(new URL('../../routes.schema.json', import.meta.url));

/** The route table's JSON Schema document, as committed in routes.schema.json. */
export function routeTableJsonSchema(): Record<string, unknown> {
  // JSON round trip: the plain JSON Schema, without TypeBox's non-enumerable bookkeeping.
  const schema = JSON.parse(JSON.stringify(RouteTableFileSchema)) as Record<string, unknown>;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'ShopNow gateway route table',
    description:
      'Generated from services/gateway/src/routes/route-table-schema.ts by write-schema.ts; do not edit.',
    ...schema,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(ROUTES_SCHEMA_FILE, `${JSON.stringify(routeTableJsonSchema(), null, 2)}\n`);
  // Keep the committed file in the repository's format (biome folds short arrays).
  const biome = fileURLToPath(new URL('../../../../node_modules/.bin/biome', import.meta.url));
  if (existsSync(biome)) execFileSync(biome, ['format', '--write', ROUTES_SCHEMA_FILE], { stdio: 'ignore' });
  console.log(`wrote ${ROUTES_SCHEMA_FILE}`);
}
