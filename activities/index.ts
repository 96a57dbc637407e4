import type { Config } from '../lib/config';
import { createHealthcheckActivities } from './healthcheck';
import type { Warehouse } from './warehouse/warehouse';

export interface ActivityDeps {
  config: Config;
  warehouse: Warehouse;
}

/** Every activity the main worker registers, built around the one warehouse handle it owns. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createHealthcheckActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
