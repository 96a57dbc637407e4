import { z } from 'zod';
import { addDays, isoDateSchema, yesterdayOf, type IsoDate } from '../dates';

/**
 * METRICS.md "Windows": every window ends on yesterday = as_of - 1, the last complete day, except
 * `today`: the hourly Meta snapshots of as_of so far (services/analytics/today.ts), provisional.
 */
export const dateRangeSchema = z.enum(['today', 'yesterday', '7d', '30d', 'custom']);
export type DateRange = z.infer<typeof dateRangeSchema>;

export const windowQuerySchema = z.object({
  date_range: dateRangeSchema.default('7d'),
  start: isoDateSchema.optional(),
  end: isoDateSchema.optional(),
});
export type WindowQuery = z.infer<typeof windowQuerySchema>;

export interface Window {
  start: IsoDate;
  end: IsoDate;
}

export class WindowError extends Error {
  constructor(
    readonly field: 'start' | 'end' | 'as_of',
    message: string,
  ) {
    super(message);
    this.name = 'WindowError';
  }
}

export function resolveWindow(q: WindowQuery, asOf: IsoDate): Window {
  const yesterday = yesterdayOf(asOf);
  switch (q.date_range) {
    case 'today':
      return { start: asOf, end: asOf };
    case 'yesterday':
      return { start: yesterday, end: yesterday };
    case '7d':
      return { start: addDays(yesterday, -6), end: yesterday };
    case '30d':
      return { start: addDays(yesterday, -29), end: yesterday };
    case 'custom': {
      if (!q.start) throw new WindowError('start', 'date_range=custom needs start (YYYY-MM-DD)');
      if (!q.end) throw new WindowError('end', 'date_range=custom needs end (YYYY-MM-DD)');
      if (q.start > q.end) throw new WindowError('start', `start ${q.start} is after end ${q.end}`);
      if (q.end > yesterday)
        throw new WindowError('end', `end ${q.end} is after yesterday (${yesterday}), the last complete day`);
      return { start: q.start, end: q.end };
    }
  }
}
