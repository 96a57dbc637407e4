import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { Warehouse } from '../../services/warehouse/warehouse';

// Issue 21 finish, item 3: the warehouse is one DuckDB connection, which holds one transaction at
// a time, and anything run on it while a transaction is open lands inside that transaction.

function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const values = async (warehouse: Warehouse) =>
  (await warehouse.all<{ x: number }>('SELECT x FROM t ORDER BY x')).map((r) => r.x);

describe('Warehouse.transaction on the one connection', () => {
  it('two transactions started at once take turns: the failing one rolls back alone, the other commits, and a statement sent meanwhile stays out of both', async () => {
    const warehouse = await Warehouse.open(join(inject('scratchDir'), 'transaction-turns.duckdb'), { migrate: false });
    try {
      await warehouse.run('CREATE TABLE t (x INTEGER)');
      const aIsOpen = gate();
      const aMayFinish = gate();
      const a = warehouse.transaction(async () => {
        await warehouse.run('INSERT INTO t VALUES (1)');
        aIsOpen.open();
        await aMayFinish.opened;
        await warehouse.run('INSERT INTO t VALUES (2)');
        throw new Error('a fails');
      });
      await aIsOpen.opened;
      // While a is open: a second transaction and a plain statement, from other callers.
      let seenByB: number[] = [];
      const b = warehouse.transaction(async () => {
        await warehouse.run('INSERT INTO t VALUES (10)');
        seenByB = await values(warehouse);
        await warehouse.run('INSERT INTO t VALUES (11)');
        return 'b done';
      });
      const c = warehouse.run('INSERT INTO t VALUES (100)');
      aMayFinish.open();

      await expect(a).rejects.toThrow('a fails');
      await expect(b).resolves.toBe('b done');
      await c;
      // a's 1 and 2 rolled back; b saw only its own first row (a had rolled back, c waits its turn
      // behind b, first come first served); b's 10 and 11 and c's 100 are committed.
      expect(seenByB).toEqual([10]);
      expect(await values(warehouse)).toEqual([10, 11, 100]);
    } finally {
      warehouse.close();
    }
  });

  it('a connection borrowed by hand (withConnection) waits for an open transaction, and one inside a transaction is part of it', async () => {
    const warehouse = await Warehouse.open(join(inject('scratchDir'), 'transaction-borrow.duckdb'), { migrate: false });
    try {
      await warehouse.run('CREATE TABLE t (x INTEGER)');
      const open = gate();
      const mayFinish = gate();
      const tx = warehouse.transaction(async () => {
        await warehouse.withConnection((connection) => connection.run('INSERT INTO t VALUES (1)'));
        open.open();
        await mayFinish.opened;
        throw new Error('rolled back');
      });
      await open.opened;
      const read = warehouse.withConnection(async (connection) =>
        (await connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM t')).getRowObjectsJson(),
      );
      mayFinish.open();
      await expect(tx).rejects.toThrow('rolled back');
      // The read ran after the rollback: it never saw the uncommitted 1.
      expect(await read).toEqual([{ n: 0 }]);
      await expect(warehouse.transaction(() => warehouse.transaction(async () => 1))).rejects.toThrow(
        'already inside a transaction',
      );
    } finally {
      warehouse.close();
    }
  });
});
