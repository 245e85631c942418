import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface MigrationFile {
  namespace: string;
  version: number;
  /** File name without the version prefix and `.sql`, e.g. `create_products`. */
  name: string;
  file: string;
  sql: string;
  /** sha256 of the file, to notice an applied migration that was edited afterwards. */
  checksum: string;
}

const FILE_PATTERN = /^(\d+)_([A-Za-z0-9_-]+)\.sql$/;

/** Reads `NNN_name.sql` files in version order; a missing dir means no migrations. */
export async function readMigrationFiles(dir: string, namespace: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  const files: MigrationFile[] = [];
  for (const entry of entries) {
    if (!entry.endsWith('.sql')) continue;
    const match = FILE_PATTERN.exec(entry);
    if (!match) throw new Error(`migrate: ${join(dir, entry)} is not named NNN_name.sql`);
    const sql = await readFile(join(dir, entry), 'utf8');
    files.push({
      namespace,
      version: Number(match[1]),
      name: match[2] as string,
      file: join(dir, entry),
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  files.sort((a, b) => a.version - b.version);
  for (let i = 1; i < files.length; i++) {
    const [previous, current] = [files[i - 1], files[i]] as [MigrationFile, MigrationFile];
    if (previous.version === current.version) {
      throw new Error(`migrate: ${previous.file} and ${current.file} share version ${current.version}`);
    }
  }
  return files;
}
