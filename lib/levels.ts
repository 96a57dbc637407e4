import { z } from 'zod';

/**
 * Where a decision is made (METRICS.md "Levels"): `auto` decides where the budget lives (the
 * campaign under campaign budget optimisation, else each ad set); `campaign` and `adset` force one
 * view. The default everywhere is `auto`.
 */
export const levelSchema = z.enum(['auto', 'campaign', 'adset']);
export type Level = z.infer<typeof levelSchema>;

export const entityTypeSchema = z.enum(['campaign', 'adset']);
export type EntityType = z.infer<typeof entityTypeSchema>;

/** What every decision, alert, proposal and outcome row names. `entity_id` is the adset_id for an ad set. */
export const entityRefSchema = z.object({
  entity_type: entityTypeSchema,
  entity_id: z.string().min(1),
  campaign_id: z.string().min(1),
  adset_id: z.string().min(1).nullable(),
});
export type EntityRef = z.infer<typeof entityRefSchema>;

export const audienceTypeSchema = z.enum(['broad', 'lookalike', 'interest', 'retargeting']);
export type AudienceType = z.infer<typeof audienceTypeSchema>;

/** seed 002: small audiences saturate first, so their scale step is smaller (`scale_pct x modifier`). */
export const AUDIENCE_MODIFIER: Readonly<Record<AudienceType, number>> = {
  broad: 1,
  lookalike: 1,
  interest: 0.75,
  retargeting: 0.5,
};

/** `revenue_source` of an ad-set row: strateg.is reported it, or it was split from the campaign's row. */
export const revenueSourceSchema = z.enum(['strategis', 'allocated']);
export type RevenueSource = z.infer<typeof revenueSourceSchema>;

/** The parts of an ad set's `targeting` (Graph API) that say who it reaches. Anything else is ignored. */
export const targetingSchema = z
  .object({
    custom_audiences: z.array(z.object({ id: z.string() }).loose()).optional(),
    flexible_spec: z
      .array(
        z
          .object({
            interests: z.array(z.unknown()).optional(),
            behaviors: z.array(z.unknown()).optional(),
          })
          .loose(),
      )
      .optional(),
    interests: z.array(z.unknown()).optional(),
    behaviors: z.array(z.unknown()).optional(),
  })
  .loose();
export type Targeting = z.infer<typeof targetingSchema>;

/** Custom audience subtypes (Graph API `subtype`) that are people who already met the business. */
const RETARGETING_SUBTYPES = new Set([
  'WEBSITE',
  'CUSTOM',
  'ENGAGEMENT',
  'APP',
  'OFFLINE_CONVERSION',
  'VIDEO',
  'LEAD_AD',
  'IG_BUSINESS',
  'FB_EVENT',
  'MESSENGER_SUBSCRIBER_LIST',
  'PARTNER',
]);

/**
 * The audience type of an ad set from its targeting and the subtypes of the account's custom
 * audiences (id -> `subtype`), in METRICS.md's order: visitors, customers or engagers ->
 * retargeting; lookalikes -> lookalike; interests or behaviours -> interest; otherwise broad. A
 * custom audience whose subtype is unknown counts as retargeting: of the four it is the most
 * cautious (the smallest scale step), and a lookalike is always listed as LOOKALIKE.
 */
export function audienceTypeOf(targeting: unknown, subtypes: ReadonlyMap<string, string>): AudienceType {
  const parsed = targetingSchema.safeParse(targeting ?? {});
  if (!parsed.success) return 'broad';
  const t = parsed.data;
  const kinds = (t.custom_audiences ?? []).map((a) => subtypes.get(a.id)?.toUpperCase());
  if (kinds.some((k) => k === undefined || RETARGETING_SUBTYPES.has(k))) return 'retargeting';
  if (kinds.some((k) => k === 'LOOKALIKE')) return 'lookalike';
  const specs = [t, ...(t.flexible_spec ?? [])];
  if (specs.some((s) => (s.interests?.length ?? 0) > 0 || (s.behaviors?.length ?? 0) > 0)) return 'interest';
  return 'broad';
}
