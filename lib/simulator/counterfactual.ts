import type { Ledger } from './ledger';
import { campaignDay, type DaySetting, type Market } from './market';

/**
 * What a change did, as only a simulator can know it: the campaign's margin (cents) over
 * [fromDay, toDay] as delivered, minus the same days replayed at the setting before the change.
 * Draws are keyed by (seed, campaign, day), so the replay meets the same noise; later changes to
 * the same campaign inside the window are left in the delivered days (the policy waits for a
 * change's check before the next, so there are few).
 */
export function changeEffectCents(
  market: Market,
  ledger: Ledger,
  campaign: number,
  fromDay: number,
  toDay: number,
  without: DaySetting,
): number {
  let effect = 0;
  for (let day = fromDay; day <= toDay; day++) {
    const delivered = ledger.outcome(day, campaign);
    const replayed = campaignDay(market, campaign, day, without);
    effect += delivered.revenueCents - delivered.spendCents - (replayed.revenueCents - replayed.spendCents);
  }
  return effect;
}
