import { describe, expect, it } from 'vitest';
import { durationMs } from '../../lib/duration';
import { parseConfig } from '../../lib/config';

describe('durations as config and the CLI take them', () => {
  it.each([
    ['500ms', 500],
    ['90s', 90_000], // 90 * 1000
    ['15m', 900_000], // 15 * 60 * 1000
    ['1.5h', 5_400_000], // 1.5 * 3600 * 1000
    ['24h', 86_400_000], // 24 * 3600 * 1000
    ['7d', 604_800_000], // 7 * 24 * 3600 * 1000
    ['2w', 1_209_600_000], // 14 * 24 * 3600 * 1000
  ])('%s is %i ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it('reads a number as milliseconds already, and nothing else as a duration', () => {
    expect(durationMs(45_000)).toBe(45_000);
    for (const text of ['forever', '', '7', 'h', '-1h', '1y', '1 hour and a bit'])
      expect(durationMs(text)).toBeUndefined();
  });

  it('stops config naming the variable when a duration is not one', () => {
    expect(parseConfig({ OUTCOME_DELAY: '36h' }).OUTCOME_DELAY).toBe(129_600_000); // 36 * 3600 * 1000
    expect(() => parseConfig({ APPROVAL_TIMEOUT: 'soon' })).toThrow(/APPROVAL_TIMEOUT/);
    expect(() => parseConfig({ APPROVAL_TIMEOUT: '0s' })).toThrow(/APPROVAL_TIMEOUT/);
  });
});
