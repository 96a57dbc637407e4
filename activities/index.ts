import type { Config } from '../lib/config';
import { createApprovalActivities } from './approvals';
import { createThresholdActivities } from './approvals/thresholds';
import type { MetaCampaigns } from '../lib/meta/port';
import { createHealthcheckActivities } from './healthcheck';
import { createMailer, type Mailer } from '../services/mail/transport';
import { createMetaActivities, metaCampaignsFromConfig } from './meta';
import { createNoticeActivities } from './notices';
import { createPipelineActivities } from './pipeline';
import { createReportActivities } from './reports';
import { createRuleActivities } from './rules';
import { createSlackActivities } from './slack';
import { createStrategisActivities } from './strategis';
import type { Warehouse } from '../services/warehouse/warehouse';

export interface ActivityDeps {
  config: Config;
  warehouse: Warehouse;
  /** Tests may hand in their own; by default built from config (SMTP_URL or the outbox). */
  mailer?: Mailer;
  meta?: MetaCampaigns;
}

const notConfigured = () =>
  Promise.reject(new Error('Meta access is not configured in this worker (META_ACCESS_TOKEN is not set)'));
const metaNotConfigured: MetaCampaigns = {
  readCampaign: notConfigured,
  readCampaigns: notConfigured,
  applyAction: notConfigured,
};

/** Every activity the main worker registers, built around the one warehouse handle it owns. */
export function createActivities(deps: ActivityDeps) {
  const mailer = deps.mailer ?? createMailer(deps.config);
  const configuredMeta = deps.meta ?? metaCampaignsFromConfig(deps.config, deps.warehouse);
  const meta = configuredMeta ?? metaNotConfigured;
  return {
    ...createHealthcheckActivities(deps),
    ...createApprovalActivities({ ...deps, mailer, meta }),
    ...createThresholdActivities({ ...deps, mailer }),
    ...createReportActivities({ ...deps, mailer }),
    ...createStrategisActivities(deps),
    ...createMetaActivities(deps),
    ...createPipelineActivities({ ...deps, meta: configuredMeta ?? null }),
    ...createRuleActivities({ ...deps, mailer }),
    ...createNoticeActivities({ ...deps, mailer }),
    ...createSlackActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
