import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { Warehouse } from '../../services/warehouse/warehouse';
import { spawnCli } from '../support/processes';

describe('the scaleflow CLI', () => {
  it('sql prints rows as JSON, money exact, from a file the worker is not holding', async () => {
    const db = join(inject('scratchDir'), 'cli-sql.duckdb');
    const warehouse = await Warehouse.open(db);
    await warehouse.run(
      "CREATE TABLE spend AS SELECT * FROM (VALUES ('a', 0.10::DECIMAL(18,2)), ('a', 0.20::DECIMAL(18,2))) t(c, usd)",
    );
    warehouse.close();
    const cli = spawnCli(['sql', 'select c, sum(usd) as usd from spend group by c', '--db', db], {});
    expect(await cli.exited).toBe(0);
    expect(JSON.parse(cli.output())).toEqual([{ c: 'a', usd: '0.30' }]);
  });

  it('sql on a file the worker holds says so instead of a stack trace', async () => {
    const db = join(inject('scratchDir'), 'cli-locked.duckdb');
    const owner = await Warehouse.open(db);
    const cli = spawnCli(['sql', 'select 1', '--db', db], {});
    const code = await cli.exited;
    owner.close();
    expect(code).toBe(1);
    expect(cli.output()).toContain('in use by another process');
    expect(cli.output()).not.toContain('    at ');
  });

  it('sql on a file that does not exist says so, with exit 1 and no stack trace', async () => {
    const db = join(inject('scratchDir'), 'cli-missing.duckdb');
    const cli = spawnCli(['sql', 'select 1', '--db', db], {});
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toContain(`There is no warehouse at ${db}`);
    expect(cli.output()).not.toContain('    at ');
  });

  it('run rejects an unknown workflow with the list of known ones', async () => {
    const cli = spawnCli(['run', 'nope'], {});
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toContain('unknown workflow "nope"; one of: healthcheck');
  });
});
