import { parseArgs } from 'node:util';
import { proposalSchema } from '../../../lib/approvals/proposal';
import { dateIn } from '../../../lib/dates';
import { toCents } from '../../../lib/money';
import { temporalUiLink } from '../../../lib/names';
import { startBudgetChange } from '../../budget-change-start';
import { loadConfigOrExit } from '../../config-env';
import { connectClient } from '../../temporal-client';
import { UsageError } from '../usage';

/**
 * `scaleflow propose --campaign ID --meta-campaign ID --account act_X --owner NAME (--from USD --to USD | --pause)
 *  [--reason TEXT] [--date YYYY-MM-DD]`: a manual budget change through the same approval flow.
 */
export async function propose(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      campaign: { type: 'string' },
      'campaign-name': { type: 'string' },
      'meta-campaign': { type: 'string' },
      account: { type: 'string' },
      owner: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      pause: { type: 'boolean', default: false },
      reason: { type: 'string' },
      date: { type: 'string' },
    },
  });
  const config = loadConfigOrExit();
  let action;
  if (values.pause) action = { kind: 'pause' as const };
  else {
    if (!values.from || !values.to) throw new UsageError('give --from and --to (daily budget in dollars), or --pause');
    action = { kind: 'set_daily_budget' as const, fromCents: toCents(values.from), toCents: toCents(values.to) };
  }
  const parsed = proposalSchema.safeParse({
    campaignId: values.campaign,
    campaignName: values['campaign-name'] ?? '',
    metaCampaignId: values['meta-campaign'],
    accountId: values.account,
    owner: values.owner?.toLowerCase(),
    date: values.date ?? dateIn(config.TZ, new Date()),
    type: 'manual',
    action,
    reason: values.reason ?? 'manual proposal',
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = { campaignId: 'campaign', metaCampaignId: 'meta-campaign', accountId: 'account' }[String(issue.path[0])] ?? String(issue.path[0]);
    throw new UsageError(`--${flag}: ${issue.message}`);
  }
  const client = await connectClient(config);
  try {
    const started = await startBudgetChange(client, config, parsed.data);
    console.log(JSON.stringify({ ...started, ui: temporalUiLink(config.TEMPORAL_UI_URL, config.TEMPORAL_NAMESPACE, started.workflowId, started.runId) }));
  } finally {
    await client.connection.close();
  }
}
