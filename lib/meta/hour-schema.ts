import { z } from 'zod';
import { isSyncHour } from './hour';

// Apart from hour.ts, which spendSync imports: workflow code stays free of zod (lib/calendar.ts).
export const syncHourSchema = z.string().refine(isSyncHour, 'an hour as YYYY-MM-DDTHH:00:00Z (UTC)');
