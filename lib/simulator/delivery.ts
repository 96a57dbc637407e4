import { normal, STREAM } from './rng';

/** Meta may spend up to 25% under or over a daily budget on any one day. */
export const DELIVERY_BAND = 0.25;

/**
 * What Meta spends on a day (cents) against a daily budget (cents). Mostly close to the budget
 * (sd 10%), clipped to the +-25% band; nothing when paused or not launched. An ad set's delivery
 * (`adset`, its index in the campaign) draws on a stream of its own.
 */
export function deliveredSpend(
  budgetCents: number,
  active: boolean,
  seed: number,
  campaign: number,
  day: number,
  adset?: number,
): number {
  if (!active || budgetCents <= 0) return 0;
  const factor = Math.min(
    1 + DELIVERY_BAND,
    Math.max(
      1 - DELIVERY_BAND,
      1 +
        0.1 *
          (adset === undefined
            ? normal(seed, STREAM.delivery, campaign, day)
            : normal(seed, STREAM.adsetDelivery, campaign, adset, day)),
    ),
  );
  return Math.round(budgetCents * factor);
}
