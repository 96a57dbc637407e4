import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../paths';

const cache = new Map<string, string>();

/** The text of `data/sql/<name>.sql`, read once per process. */
export function sqlFile(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(dataDir, 'sql', `${name}.sql`), 'utf8');
    cache.set(name, text);
  }
  return text;
}
