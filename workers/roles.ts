import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../activities';
import type { Warehouse } from '../services/warehouse/warehouse';
import { activityNamesOf, activityRoles, type ActivityName, type ActivityRole } from '../lib/activity-roles';

// The table in lib/activity-roles.ts names every activity exactly once: both directions are checked here.
const everyActivityHasARole: Record<keyof Activities, ActivityRole> = activityRoles;
const everyRoleRowIsAnActivity: Record<ActivityName, unknown> = {} as Activities;
void everyActivityHasARole;
void everyRoleRowIsAnActivity;

/**
 * What a meta or io worker has in place of the DuckDB file, which only the warehouse worker opens:
 * an activity listed under the wrong role fails at once, saying so, instead of opening the file.
 */
export function noWarehouse(role: string): Warehouse {
  const refuse = () => {
    throw ApplicationFailure.nonRetryable(
      `the warehouse is not open in a ${role} worker: this activity belongs on the warehouse queue (lib/activity-roles.ts)`,
      'ConfigError',
    );
  };
  return new Proxy({} as Warehouse, {
    get(_target, prop) {
      if (prop === 'then') return undefined; // not a thenable
      if (prop === 'path') return `(no warehouse in a ${role} worker)`;
      return refuse;
    },
  });
}

/** The activities a worker of this role registers on its queue: exactly its rows of the table. */
export function pickRole(role: ActivityRole, all: Activities): Partial<Activities> {
  return Object.fromEntries(activityNamesOf(role).map((name) => [name, all[name]]));
}
