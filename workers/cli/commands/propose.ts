import { proposalSchema } from '../../../lib/approvals/proposal';
import { dateIn } from '../../../lib/dates';
import { toCents } from '../../../lib/money';
import { temporalUiLink } from '../../../lib/names';
import { startBudgetChange } from '../../budget-change-start';
import { loadConfigOrExit } from '../../config-env';
import { connectClient } from '../../temporal-client';
import { defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';

export const proposeSpec = defineCommand({
  name: 'propose',
  options: {
    campaign: { type: 'string', value: 'ID', help: 'the strateg.is campaign id', required: true },
    'campaign-name': { type: 'string', value: 'NAME', help: 'its name, for the approval page' },
    'meta-campaign': { type: 'string', value: 'ID', help: 'the Meta campaign id', required: true },
    account: { type: 'string', value: 'act_X', help: 'the Meta ad account', required: true },
    owner: { type: 'string', value: 'NAME', help: 'the campaign owner (their approvers are asked)', required: true },
    from: { type: 'string', value: 'USD', help: 'the daily budget now, in dollars' },
    to: { type: 'string', value: 'USD', help: 'the daily budget asked for, in dollars' },
    pause: { type: 'boolean', help: 'pause the campaign instead of --from/--to' },
    reason: { type: 'string', value: 'TEXT', help: 'why, for the approver (default "manual proposal")' },
    date: { type: 'string', value: 'DATE', help: 'the business day of the proposal (default: today in TZ)' },
  },
  about: `A manual budget change (--from USD --to USD) or pause (--pause), through the same approval flow
as every other: guardrails, the approval email, the write and the outcome check.`,
});

export async function propose(args: string[]): Promise<void> {
  const { values } = parseCommandArgs(proposeSpec, args);
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
    const flag =
      { campaignId: 'campaign', metaCampaignId: 'meta-campaign', accountId: 'account' }[String(issue.path[0])] ??
      String(issue.path[0]);
    throw new UsageError(`--${flag}: ${issue.message}`);
  }
  const client = await connectClient(config);
  try {
    const started = await startBudgetChange(client, config, parsed.data);
    console.log(
      JSON.stringify({
        ...started,
        ui: temporalUiLink(config.TEMPORAL_UI_URL, config.TEMPORAL_NAMESPACE, started.workflowId, started.runId),
      }),
    );
  } finally {
    await client.connection.close();
  }
}
