import { proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activityQueue, type ActivitiesOf, type ActivityRole } from '../lib/activity-roles';

type On<R extends ActivityRole> = Pick<Activities, ActivitiesOf<R> & keyof Activities>;

/**
 * proxyActivities on a role's task queue (lib/activity-roles.ts): only that role's activities are
 * callable. The queue is named after the running workflow's own queue, which is only known inside
 * a run, so the proxy is declared at module level as usual and resolves its queue at each call.
 */
export function proxyOn<R extends ActivityRole>(
  role: R,
  options: Omit<ActivityOptions, 'taskQueue'>,
): ReturnType<typeof proxyActivities<On<R>>> {
  return new Proxy({} as ReturnType<typeof proxyActivities<On<R>>>, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      return (...args: unknown[]) => {
        const proxies = proxyActivities<Record<string, (...a: unknown[]) => Promise<unknown>>>({
          ...options,
          taskQueue: activityQueue(workflowInfo().taskQueue, role),
        });
        return proxies[name]!(...args);
      };
    },
  });
}

/**
 * One Graph page per attempt, for every sync that pages through Meta. A rate limit comes back with
 * Meta's own wait (nextRetryDelay), which overrides the backoff; an expired token, a missing
 * permission or a bad request ends the run at once.
 */
export const graphPageOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [
      'MetaAuthError',
      'MetaPermissionError',
      'MetaRequestInvalid',
      'ConfigError',
      'InvalidInput',
    ],
  },
} as const satisfies Omit<ActivityOptions, 'taskQueue'>;
