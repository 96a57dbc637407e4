import type { ChangeType } from './proposal';

// Its own module, free of zod, because budgetChange reads it (lib/calendar.ts says why that matters).
/** Proposals that answer no alert of the day. */
export const NOT_ALERTS: readonly ChangeType[] = ['manual', 'rule'];
