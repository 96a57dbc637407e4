import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CELL_ID,
  CellDefinitionError,
  parseCellHeader,
  type CellCode,
  type CellDefinition,
} from '../../lib/reports/cell';
import type { ReportTemplates } from '../../lib/reports/render';
import { compileTemplate } from '../../lib/reports/templating';
import { reportsDir, rootDir } from '../paths';

/**
 * A report is a folder under reports/: its page templates, a stylesheet, and cells/ with one
 * `<id>.sql` + `<id>.hbs` (+ optional `<id>.ts`) per question. Adding a cell is adding files.
 */
export interface ReportDefinition {
  name: string;
  cells: CellDefinition[];
  templates: ReportTemplates;
  css: string;
}

const cache = new Map<string, Promise<ReportDefinition>>();

export function loadReport(name = 'daily', root = reportsDir): Promise<ReportDefinition> {
  const key = join(root, name);
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = readReport(key, name);
    cache.set(key, loaded);
    loaded.catch(() => cache.delete(key));
  }
  return loaded;
}

/**
 * A cell's code is a .ts file read at run time. Under tsx (`scaleflow`, tests) it imports as it
 * is. The compiled CLI and worker (dist/) have no TypeScript loader: they take the cell compiled
 * with them (dist/reports/...) unless the .ts is newer and tsx is installed to compile it, so a
 * new or edited cell needs no build in a checkout, and the image needs no tsx.
 */
async function importCellCode(file: string): Promise<CellCode> {
  const url = pathToFileURL(file).href;
  try {
    return (await import(url)) as CellCode;
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    const built = join(rootDir, 'dist', relative(rootDir, file)).replace(/\.ts$/, '.js');
    const hasBuilt = existsSync(built);
    if (hasBuilt && statSync(built).mtimeMs >= statSync(file).mtimeMs)
      return (await import(pathToFileURL(built).href)) as CellCode;
    // tsx is a dev dependency: the image has none, and runs the cells compiled with it, whatever
    // the files' times say after a COPY.
    const tsx = await import('tsx/esm/api').catch(() => undefined);
    if (tsx) return (await tsx.tsImport(url, import.meta.url)) as CellCode;
    if (hasBuilt) return (await import(pathToFileURL(built).href)) as CellCode;
    throw new Error(
      `${relative(rootDir, file)} has no compiled copy in dist/ and tsx is not installed: run npm run build`,
    );
  }
}

async function readReport(dir: string, name: string): Promise<ReportDefinition> {
  const text = (file: string) => readFileSync(join(dir, file), 'utf8');
  const cellsDir = join(dir, 'cells');
  const files = readdirSync(cellsDir);
  const ids = files
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -4))
    .sort();
  const cells: CellDefinition[] = [];
  for (const id of ids) {
    if (!CELL_ID.test(id))
      throw new CellDefinitionError(id, 'file names are NNN_name.sql (three digits order the cells)');
    const sql = readFileSync(join(cellsDir, `${id}.sql`), 'utf8');
    const narrativeFile = join(cellsDir, `${id}.hbs`);
    if (!existsSync(narrativeFile)) throw new CellDefinitionError(id, `needs a sentence in ${id}.hbs`);
    const codeFile = join(cellsDir, `${id}.ts`);
    const code = existsSync(codeFile) ? await importCellCode(codeFile) : {};
    if (code.chart !== undefined && typeof code.chart !== 'function')
      throw new CellDefinitionError(id, `${id}.ts: chart must be a function`);
    if (code.facts !== undefined && typeof code.facts !== 'function')
      throw new CellDefinitionError(id, `${id}.ts: facts must be a function`);
    cells.push({
      id,
      header: parseCellHeader(id, sql),
      sql,
      narrative: compileTemplate(readFileSync(narrativeFile, 'utf8')),
      code: { chart: code.chart, facts: code.facts },
    });
  }
  const stray = files.filter((f) => !/\.(sql|hbs|ts)$/.test(f) || !ids.includes(f.replace(/\.(sql|hbs|ts)$/, '')));
  if (stray.length) throw new CellDefinitionError(stray[0]!, `has no ${stray[0]!.replace(/\.\w+$/, '')}.sql beside it`);
  return {
    name,
    cells,
    templates: {
      page: compileTemplate(text('page.hbs')),
      email: compileTemplate(text('email.hbs')),
      text: compileTemplate(text('email.txt.hbs')),
      subject: compileTemplate(text('subject.hbs')),
    },
    css: text('style.css'),
  };
}
