import type { SandboxAdSet, SandboxCampaign, SandboxState, Status } from './state';

/**
 * POSTs the sandbox accepts: budget and status changes on a campaign (CBO) or an ad set (outside
 * CBO), an ad set's targeting, and Meta's campaign and ad-set copies. Meta's rules kept: budgets are
 * integer minor units, at least 100 (e.g. $1.00), at most 4 budget changes per object per hour,
 * then code 17.
 */
export interface WriteError {
  status: number;
  code: number;
  message: string;
  subcode?: number;
  userMessage?: string;
}

export type WriteResult = { body: unknown; error?: undefined } | { error: WriteError; body?: undefined };

const MIN_BUDGET_MINOR = 100;
const BUDGET_CHANGES_PER_HOUR = 4;
const invalid = (message: string, userMessage?: string): WriteResult => ({
  error: { status: 400, code: 100, message: `(#100) ${message}`, userMessage },
});

function parseBudget(value: unknown): number | undefined | 'bad' {
  if (value === undefined) return undefined;
  const text = String(value);
  return /^\d+$/.test(text) ? Number(text) : 'bad';
}

const PLATFORMS = ['facebook', 'instagram', 'audience_network', 'messenger'];

/** Meta's targeting spec, sent as JSON text (the SDK's form encoding); a message when it is not one. */
function parseTargeting(value: unknown): Record<string, unknown> | string {
  let spec: unknown = value;
  if (typeof value === 'string') {
    try {
      spec = JSON.parse(value);
    } catch {
      return 'Param targeting must be a JSON object';
    }
  }
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return 'Param targeting must be a JSON object';
  const platforms = (spec as Record<string, unknown>).publisher_platforms;
  if (
    platforms !== undefined &&
    (!Array.isArray(platforms) || platforms.length === 0 || platforms.some((p) => !PLATFORMS.includes(String(p))))
  )
    return `publisher_platforms must be a non-empty list of ${PLATFORMS.join(', ')}`;
  return spec as Record<string, unknown>;
}

export function handleWrite(
  state: SandboxState,
  target: {
    campaign?: SandboxCampaign;
    adset?: { adset: SandboxAdSet; campaign: SandboxCampaign };
    edge?: string;
    body: Record<string, unknown>;
  },
): WriteResult {
  const { campaign, adset, edge, body } = target;
  if (campaign && edge === 'copies') {
    const rename = typeof body.rename_options === 'string' ? JSON.parse(body.rename_options) : body.rename_options;
    const suffix = (rename as { rename_suffix?: string } | undefined)?.rename_suffix ?? ' - Copy';
    const copy = state.copyCampaign(campaign.id, suffix);
    return {
      body: {
        copied_campaign_id: copy.id,
        ad_object_ids: [{ ad_object_type: 'campaign', source_id: campaign.id, copied_id: copy.id }],
      },
    };
  }
  if (adset && edge === 'copies') {
    // Meta's ad-set copy: /<adset>/copies, the copy in the same campaign, PAUSED unless asked otherwise.
    const rename = typeof body.rename_options === 'string' ? JSON.parse(body.rename_options) : body.rename_options;
    const suffix = (rename as { rename_suffix?: string } | undefined)?.rename_suffix ?? ' - Copy';
    const status = body.status_option === 'ACTIVE' ? 'ACTIVE' : 'PAUSED';
    const copy = state.copyAdset(adset.adset.id, suffix, status);
    return {
      body: {
        copied_adset_id: copy.id,
        ad_object_ids: [{ ad_object_type: 'ad_set', source_id: adset.adset.id, copied_id: copy.id }],
      },
    };
  }
  if (edge) return invalid(`Unsupported post request on edge ${edge}`);
  if (body.targeting !== undefined) {
    if (!adset) return invalid('Param targeting is a field of an ad set');
    const targeting = parseTargeting(body.targeting);
    if (typeof targeting === 'string') return invalid(targeting);
    // Meta replaces the whole targeting spec with what is sent.
    adset.adset.targeting = targeting;
  }

  const daily = parseBudget(body.daily_budget);
  const lifetime = parseBudget(body.lifetime_budget);
  if (daily === 'bad' || lifetime === 'bad')
    return invalid('Param daily_budget must be an integer in the minor unit of the account currency');
  const status = body.status === undefined ? undefined : String(body.status);
  if (status !== undefined && status !== 'ACTIVE' && status !== 'PAUSED')
    return invalid(`Param status must be one of {ACTIVE, PAUSED}`);

  const owner = campaign ?? adset!.campaign;
  const changesBudget = daily !== undefined || lifetime !== undefined;
  if (changesBudget) {
    const cbo = owner.dailyBudget !== null || owner.lifetimeBudget !== null;
    if (campaign && !cbo)
      return invalid('This campaign does not use campaign budget: its budgets are set on its ad sets');
    if (adset && cbo)
      return invalid(
        'This ad set belongs to a campaign with campaign budget optimization: set the budget on the campaign',
      );
    const amount = daily ?? lifetime!;
    if (amount < MIN_BUDGET_MINOR)
      return invalid(
        'Invalid parameter',
        `Your budget is too low. The minimum is ${MIN_BUDGET_MINOR} in the minor unit of the account currency.`,
      );
    const hourAgo = state.now() - 3_600_000;
    owner.budgetChanges = owner.budgetChanges.filter((t) => t > hourAgo);
    if (owner.budgetChanges.length >= BUDGET_CHANGES_PER_HOUR) {
      return {
        error: {
          status: 400,
          code: 17,
          message: '(#17) User request limit reached',
          userMessage: 'The budget of this ad set has changed too often in the last hour. Try again in an hour.',
        },
      };
    }
    owner.budgetChanges.push(state.now());
    if (campaign) {
      if (daily !== undefined) campaign.dailyBudget = daily;
      if (lifetime !== undefined) campaign.lifetimeBudget = lifetime;
    } else {
      adset!.adset.dailyBudget = daily ?? adset!.adset.dailyBudget;
    }
  }
  if (status) {
    if (campaign) campaign.status = status as Status;
    else adset!.adset.status = status as Status;
  }
  if (typeof body.name === 'string' && campaign) campaign.name = body.name;
  owner.updatedTime = new Date(state.now()).toISOString();
  return { body: { success: true } };
}
