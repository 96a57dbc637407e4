import { describe, expect, it } from 'vitest';
import { AnswerCache } from '../../services/analytics/answer-cache';
import { Warehouse } from '../../services/warehouse/warehouse';

describe('API answers cached until the warehouse changes', () => {
  it('serves the cached answer to reads, and computes again after any write', async () => {
    const warehouse = await Warehouse.open(':memory:', { migrate: false });
    await warehouse.run('CREATE TABLE t (x INTEGER)');
    const cache = new AnswerCache(() => warehouse.generation);
    let computed = 0;
    const total = () =>
      cache.get('total', async () => {
        computed++;
        return (await warehouse.one<{ s: string | null }>('-- a comment first\nSELECT sum(x)::VARCHAR AS s FROM t'))?.s;
      });

    expect(await total()).toBeNull();
    expect(await total()).toBeNull();
    expect(computed).toBe(1); // the read inside did not count as a write

    await warehouse.run('INSERT INTO t VALUES (2), (3)');
    expect(await total()).toBe('5');
    await warehouse.all('INSERT INTO t VALUES (10) RETURNING x');
    expect(await total()).toBe('15');
    expect(computed).toBe(3);
    warehouse.close();
  });

  it('shares one computation between concurrent requests and forgets failures', async () => {
    const cache = new AnswerCache(() => 0);
    let calls = 0;
    const slow = () => cache.get('k', async () => ++calls);
    expect(await Promise.all([slow(), slow(), slow()])).toEqual([1, 1, 1]);
    await expect(cache.get('bad', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('bad', async () => 'fine')).toBe('fine');
  });

  it('keeps at most maxEntries answers, dropping the least recently used', async () => {
    const cache = new AnswerCache(() => 0, 2);
    let n = 0;
    const get = (k: string) => cache.get(k, async () => `${k}${++n}`);
    await get('a');
    await get('b');
    await get('a'); // a is now the most recent
    await get('c'); // evicts b
    expect(await get('a')).toBe('a1');
    expect(await get('b')).toBe('b4');
  });
});
