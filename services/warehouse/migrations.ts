import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../paths';
import type { Warehouse } from './warehouse';

const MIGRATION_FILE = /^(\d{3})_[a-z0-9_]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(dir = join(dataDir, 'migrations')): Migration[] {
  return readdirSync(dir)
    .filter((name) => MIGRATION_FILE.test(name))
    .sort()
    .map((name) => ({ version: Number(name.slice(0, 3)), name, sql: readFileSync(join(dir, name), 'utf8') }));
}

/** Applies, in order and each in its own transaction, every migration the file has not seen. */
export async function applyMigrations(warehouse: Warehouse, migrations = listMigrations()): Promise<string[]> {
  await warehouse.run(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
  );
  const done = new Set(
    (await warehouse.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
  );
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    await warehouse.transaction(async () => {
      await warehouse.connection.run(migration.sql);
      await warehouse.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    });
    applied.push(migration.name);
  }
  // Into the file now, not only the write-ahead log: DuckDB cannot replay an ALTER TABLE ... ADD
  // COLUMN on a table with a function default (alerts), so a worker killed before its first
  // checkpoint would leave a file nothing opens again.
  if (applied.length) await warehouse.run('CHECKPOINT');
  return applied;
}
