import type { Config } from '../../lib/config';
import type { Warehouse } from '../../services/warehouse/warehouse';
import { createMetaAdsets } from '../../services/meta/adsets';
import { createMetaCampaigns } from '../../services/meta/campaigns';
import { createMetaGraph, type MetaGraph } from '../../services/meta/graph';
import { createAdSetSyncActivities } from './adset-sync';
import { createBreakdownActivities } from './breakdowns';
import { createSpendSyncActivities } from './sync';

/** One SDK API object per worker, made on first use so a worker without a token still starts. */
export function lazyGraph(config: Config): () => MetaGraph {
  let graph: MetaGraph | undefined;
  return () => (graph ??= createMetaGraph(config));
}

export function createMetaActivities({ config, warehouse }: { config: Config; warehouse: Warehouse }) {
  const graph = lazyGraph(config);
  return {
    ...createSpendSyncActivities({ config, warehouse, graph }),
    ...createAdSetSyncActivities({ config, graph }),
    ...createBreakdownActivities({ config, warehouse, graph }),
  };
}

/** The approval flow's Meta port over the SDK; undefined when no token is configured. */
export function metaCampaignsFromConfig(config: Config, warehouse: Warehouse) {
  return config.META_ACCESS_TOKEN
    ? createMetaCampaigns({ graph: lazyGraph(config), settings: config, warehouse })
    : undefined;
}

/** The ad-set writes' Meta port over the SDK; undefined when no token is configured. */
export function metaAdsetsFromConfig(config: Config, warehouse: Warehouse) {
  return config.META_ACCESS_TOKEN
    ? createMetaAdsets({ graph: lazyGraph(config), settings: config, warehouse })
    : undefined;
}
