import { z } from 'zod';
import { isoDateSchema } from '../dates';

/**
 * The market protocol (docs/backtest.md "Bring your own market"): JSON Lines, one request from
 * scaleflow and one reply from the market per line. Every message of either side is defined
 * here once; the built-in simulator, the child-process transport and the backtest all parse
 * with these. Money is a decimal string in dollars.
 */
export const moneySchema = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal amount in dollars, e.g. "123.45"');
const idSchema = z.string().min(1);
const statusSchema = z.enum(['ACTIVE', 'PAUSED']);

export const initRequestSchema = z.object({
  type: z.literal('init'),
  seed: z.number().int(),
  days: z.number().int().min(1),
  campaigns: z.number().int().min(1),
});

export const accountSchema = z.object({ account_id: idSchema, currency: z.string().min(3), time_zone: z.string() });

export const marketCampaignSchema = z.object({
  campaign_id: idSchema,
  campaign_name: idSchema,
  owner: idSchema,
  category: idSchema,
  meta_campaign_id: idSchema,
  account_id: idSchema,
  daily_budget: moneySchema,
  status: statusSchema,
});
export type MarketCampaign = z.infer<typeof marketCampaignSchema>;

export const setupReplySchema = z.object({
  type: z.literal('setup'),
  start: isoDateSchema,
  accounts: z.array(accountSchema),
  campaigns: z.array(marketCampaignSchema),
  /** The strateg.is report (shared/strategis-report.md) of the 28 days before `start`. */
  history_csv: z.string(),
});

export const budgetSchema = z.object({ meta_campaign_id: idSchema, daily_budget: moneySchema, status: statusSchema });
export type MarketBudget = z.infer<typeof budgetSchema>;

export const dayRequestSchema = z.object({
  type: z.literal('day'),
  date: isoDateSchema,
  budgets: z.array(budgetSchema),
});

export const metaRowSchema = z.object({
  meta_campaign_id: idSchema,
  status: statusSchema,
  daily_budget: moneySchema,
  spend: moneySchema,
});

export const resultReplySchema = z.object({
  type: z.literal('result'),
  date: isoDateSchema,
  /** The pull made the morning after `date`: the 7 days ending `date`, earlier days restated. */
  report_csv: z.string(),
  meta: z.array(metaRowSchema),
  /** Campaigns that start the next day. */
  launched: z.array(marketCampaignSchema),
});

export const endRequestSchema = z.object({ type: z.literal('end') });
export const truthReplySchema = z.object({ type: z.literal('truth'), margin: moneySchema });

export const marketRequestSchema = z.discriminatedUnion('type', [
  initRequestSchema,
  dayRequestSchema,
  endRequestSchema,
]);
export type MarketRequest = z.infer<typeof marketRequestSchema>;
export type InitRequest = z.infer<typeof initRequestSchema>;
export type DayRequest = z.infer<typeof dayRequestSchema>;
export type SetupReply = z.infer<typeof setupReplySchema>;
export type ResultReply = z.infer<typeof resultReplySchema>;
export type TruthReply = z.infer<typeof truthReplySchema>;

/** The reply each request expects. */
export const replySchemas = {
  init: setupReplySchema,
  day: resultReplySchema,
  end: truthReplySchema,
} as const;
export type ReplyTo<R extends MarketRequest> = z.infer<(typeof replySchemas)[R['type']]>;

/** A market that broke the protocol: the message names the request and what was wrong with the reply. */
export class MarketProtocolError extends Error {
  override name = 'MarketProtocolError';
}

/** What a request is called in a message: its type, and its date for a day. */
export function requestLabel(request: MarketRequest): string {
  return request.type === 'day' ? `"day" ${request.date}` : `"${request.type}"`;
}

/** Parses one reply line against what `request` expects, or throws naming the request and the field. */
export function parseReply<R extends MarketRequest>(request: R, line: string): ReplyTo<R> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (err) {
    throw new MarketProtocolError(
      `market: the reply to ${requestLabel(request)} is not JSON (${(err as Error).message}): ${line.slice(0, 200)}`,
    );
  }
  const parsed = replySchemas[request.type].safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length ? issue.path.join('.') : '(the reply)';
    throw new MarketProtocolError(`market: the reply to ${requestLabel(request)}: field ${field}: ${issue.message}`);
  }
  if (request.type === 'day' && (parsed.data as ResultReply).date !== request.date)
    throw new MarketProtocolError(
      `market: the reply to ${requestLabel(request)}: field date: ${(parsed.data as ResultReply).date}, not ${request.date}`,
    );
  return parsed.data as ReplyTo<R>;
}
