import { describe, expect, it } from 'vitest';
import { progressLine, remainingMs, spokenDuration, summaryLine } from '../../lib/progress';
import { startProgress } from '../../workers/cli/progress';

describe('progress arithmetic', () => {
  it('estimates the time left from the pace so far', () => {
    // 12 of 60 days in 2 minutes: 10 s a day, 48 days left = 480 s.
    expect(remainingMs(12, 60, 120_000)).toBe(480_000);
    // No pace before the first unit, no estimate without a total, nothing left when done.
    expect(remainingMs(0, 60, 5_000)).toBeUndefined();
    expect(remainingMs(5, undefined, 5_000)).toBeUndefined();
    expect(remainingMs(60, 60, 5_000)).toBeUndefined();
  });

  it('says durations to the second', () => {
    expect(spokenDuration(190_000)).toBe('3 minutes 10 seconds');
    expect(spokenDuration(3_600_000 + 1_400)).toBe('1 hour 1 second');
    expect(spokenDuration(200)).toBe('0 seconds');
  });

  it('writes the live line and the summary', () => {
    const state = {
      label: 'scaleflow backtest seed 3',
      unit: 'days simulated',
      done: 12,
      total: 60,
      elapsedMs: 120_000,
    };
    // 12/60 = 20%; 480 s left.
    expect(progressLine({ ...state, note: 'scaleflow' })).toBe(
      'scaleflow backtest seed 3: 12/60 days simulated (20%), about 8 minutes left, scaleflow',
    );
    expect(summaryLine({ ...state, done: 60, elapsedMs: 601_000, note: '1 run' })).toBe(
      'scaleflow backtest seed 3: 60 days simulated in 10 minutes 1 second, 1 run',
    );
    expect(progressLine({ label: 'ingest r.csv', unit: 'steps', done: 2, elapsedMs: 1 })).toBe('ingest r.csv: 2 steps');
  });
});

/** A stream that records writes; isTTY as a terminal or a pipe would say. */
function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) };
}

describe('startProgress', () => {
  it('on a pipe writes one summary line and nothing before it', () => {
    const out = stream(false);
    let t = 0;
    const p = startProgress({ label: 'scaleflow backfill', unit: 'days loaded', total: 3, stream: out, now: () => t });
    for (const done of [1, 2, 3]) {
      t += 10_000;
      p.update(done);
      p.note(`day ${done}`);
    }
    expect(out.writes).toEqual([]);
    p.finish('0 failed');
    p.finish('again');
    expect(out.writes).toEqual(['scaleflow backfill: 3 days loaded in 30 seconds, 0 failed\n']);
  });

  it('on a terminal redraws one line at most every 200 ms, and always the last unit', () => {
    const out = stream(true);
    let t = 1_000;
    const p = startProgress({ label: 'bt', unit: 'days', total: 4, stream: out, now: () => t });
    t += 1_000;
    p.update(1); // drawn: 1 s for 1 day, 3 days left = 3 s
    t += 50;
    p.update(2); // 50 ms after the last draw: skipped
    t += 100;
    p.update(3); // 150 ms after: skipped
    t += 10;
    p.update(4); // the last unit is always drawn
    t += 1_000;
    p.finish();
    expect(out.writes).toEqual([
      '\r\x1b[2Kbt: 1/4 days (25%), about 3 seconds left',
      '\r\x1b[2Kbt: 4/4 days (100%)',
      '\r\x1b[2Kbt: 4 days in 2 seconds\n',
    ]);
  });
});
