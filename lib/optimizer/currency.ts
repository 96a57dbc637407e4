import { DEFAULT_CURRENCY } from '../currency';
import type { OptimizerCampaign } from './index';

/**
 * The optimiser plans in US dollars: its curves are fitted on strateg.is spend and revenue, which
 * strateg.is reports in dollars whatever the ad account's currency (docs/meta-sync.md). A campaign
 * whose Meta budget is in yen has no place in a dollar total_budget without an exchange rate, and
 * scaleflow keeps none, so such a campaign is never planned: a request whose scope holds one is
 * refused unless it says `"currency": "USD"`, which plans the dollar campaigns alone and lists the
 * others. A campaign Meta has not synced starts from its mean strateg.is spend: dollars.
 */
export const PLAN_CURRENCY = DEFAULT_CURRENCY;

/** What the plan leaves out, and why: its budget is in another currency. */
export interface OtherCurrencyEntity {
  entity_type: 'campaign' | 'adset';
  entity_id: string;
  campaign_id: string;
  currency: string;
}

/** A request without `currency` over campaigns in more than one currency: a 400 naming the field. */
export class CurrencyMixError extends Error {
  readonly field = 'currency';
  constructor(readonly others: OtherCurrencyEntity[]) {
    const byCurrency = new Map<string, string[]>();
    for (const o of others) byCurrency.set(o.currency, [...(byCurrency.get(o.currency) ?? []), o.entity_id]);
    const listed = [...byCurrency].map(([code, ids]) => `${code} (${ids.join(', ')})`).join('; ');
    super(
      `budgets in ${listed} cannot share a US dollar total_budget (the optimiser plans in strateg.is dollars and ` +
        `keeps no exchange rate): send "currency": "USD" to plan the dollar campaigns alone, or narrow owner`,
    );
    this.name = 'CurrencyMixError';
  }
}

/**
 * The entities the plan covers (those in dollars, or never synced) and those it leaves out; throws
 * CurrencyMixError when some are left out and the caller did not ask for one currency.
 */
export function splitByCurrency(
  entities: readonly OptimizerCampaign[],
  currencyOf: (entity: OptimizerCampaign) => string | undefined,
  requested: string | undefined,
): { planned: OptimizerCampaign[]; others: OtherCurrencyEntity[] } {
  const planned: OptimizerCampaign[] = [];
  const others: OtherCurrencyEntity[] = [];
  for (const e of entities) {
    const currency = currencyOf(e) ?? PLAN_CURRENCY;
    if (currency === PLAN_CURRENCY) planned.push(e);
    else
      others.push({
        entity_type: e.adset_id ? 'adset' : 'campaign',
        entity_id: e.adset_id ?? e.campaign_id,
        campaign_id: e.campaign_id,
        currency,
      });
  }
  others.sort((a, b) => (a.entity_id < b.entity_id ? -1 : a.entity_id > b.entity_id ? 1 : 0));
  if (others.length && requested === undefined) throw new CurrencyMixError(others);
  return { planned, others };
}
