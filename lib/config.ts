import { msToNumber } from '@temporalio/common/lib/time';
import { z } from 'zod';
import { parsePayloadKeys } from './codec/keys';
import { ownerRecipientsSchema, teamRecipientsSchema } from './reports/recipients';

/**
 * Every environment variable scaleflow reads, parsed once at start. `.env.example` mirrors this
 * schema; a test keeps the two in step.
 */
/** A duration such as 24h, 7d or 90s (Temporal's own format), as milliseconds. */
const duration = z.string().transform((value, ctx) => {
  try {
    const ms = msToNumber(value as never);
    if (Number.isFinite(ms) && ms > 0) return ms;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'a duration such as 90s, 15m, 24h or 7d' });
  return z.NEVER;
});

const flag = z.stringbool({ truthy: ['true', '1', 'yes'], falsy: ['false', '0', 'no'] });

export const configSchema = z.object({
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, 'host:port, e.g. 127.0.0.1:7233')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('scaleflow'),
  TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
  /** A prebuilt workflow bundle (production images build it once); empty: bundle at start. */
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  SCALEFLOW_DB: z.string().min(1).default('data/scaleflow.duckdb'),
  TZ: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone such as America/New_York')
    .default('America/New_York'),
  LOG_LEVEL: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Decision thresholds overriding METRICS.md's defaults, globally and per owner (JSON). Unset: defaults. */
  THRESHOLDS_FILE: z.string().min(1).optional(),
  /** Where the Temporal SDK's runtime metrics are exported (host:port); /metrics merges them in. Empty: off. */
  SDK_METRICS_ADDRESS: z.string().regex(/^[^\s:]+:\d{1,5}$/, 'host:port, e.g. 127.0.0.1:9464').optional(),
  /** Requests per minute per client IP on the API and approval pages. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(120),
  /** HS256 key for API tokens; unset, the JSON API answers 401 to everyone (said at start). */
  JWT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  /** Seconds in-flight activities get to finish on SIGTERM before they are cancelled and retried. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  DRY_RUN: flag.default(false),

  // Approvals (budgetChange)
  /** HMAC key (32+ characters) signing approval links; unset, no approval email can be sent. */
  APPROVAL_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  /** Who approves each owner's changes (JSON, see data/approvers.example.json). */
  APPROVERS_FILE: z.string().min(1).default('data/approvers.json'),
  /** Where approval links point: the worker's HTTP server as approvers reach it. */
  PUBLIC_BASE_URL: z.url().default('http://127.0.0.1:8080'),
  APPROVAL_TIMEOUT: duration.default(24 * 3600 * 1000),
  OUTCOME_DELAY: duration.default(7 * 24 * 3600 * 1000),
  MAX_CHANGE_PCT: z.coerce.number().positive().max(1000).default(50),
  MIN_DAILY_BUDGET_USD: z.coerce.number().nonnegative().default(1),
  MAX_DAILY_BUDGET_USD: z.coerce.number().positive().default(10_000),
  DAILY_ACTION_LIMIT_PER_OWNER: z.coerce.number().int().positive().default(20),
  /** Owners whose budget writes are recorded but never sent (comma-separated), on top of DRY_RUN. */
  DRY_RUN_OWNERS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim().toLowerCase()).filter(Boolean)),

  // Mail
  /** smtp(s)://user:pass@host:port; unset, mail is written as .eml files to OUTBOX_DIR. */
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().min(3).default('scaleflow <scaleflow@localhost>'),
  OUTBOX_DIR: z.string().min(1).default('data/outbox'),

  // Daily reports
  /** Where report pages and their Arrow datasets go: <REPORTS_DIR>/<as_of>/. */
  REPORTS_DIR: z.string().min(1).default('data/reports'),
  /** owner=email pairs (an owner may repeat): each owner gets their own campaigns' report. */
  REPORT_RECIPIENTS: ownerRecipientsSchema,
  /** Comma-separated addresses that get the team report. */
  REPORT_TEAM_RECIPIENTS: teamRecipientsSchema,

  // Meta (facebook-nodejs-business-sdk)
  /** A system-user token with ads_read/ads_management; unset, `scaleflow dev`/the demo start the Graph API sandbox. */
  META_ACCESS_TOKEN: z.string().min(1).optional(),
  /** Comma-separated ad accounts the hourly spend sync reads, e.g. act_1001,act_1002. */
  META_AD_ACCOUNT_IDS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((a) => a.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^act_\d+$/, 'ad account ids such as act_1001,act_1002 (comma-separated)'))),
  /** Where the SDK sends Graph API calls: Meta itself, or the loopback sandbox. */
  META_GRAPH_URL: z.url().default('https://graph.facebook.com'),
  META_API_VERSION: z.string().regex(/^v\d+\.\d+$/, 'a Graph API version such as v24.0').default('v24.0'),
  /** Campaigns (and insights rows) per Graph API page; one page is one activity, so a retry never re-reads another page. */
  META_PAGE_SIZE: z.coerce.number().int().min(1).max(500).default(100),
  /** How long one Graph API call may take before it is abandoned and retried. */
  META_REQUEST_TIMEOUT: duration.default(60_000),
  /** The shortest wait after a rate-limit answer, when Meta's usage headers say less (or nothing). */
  META_RATE_LIMIT_MIN_WAIT: duration.default(60_000),

  // strateg.is daily pull
  /** The report URL with {start} and {end} placeholders (YYYY-MM-DD); unset, the pipeline reads only the inbox. */
  STRATEGIS_REPORT_URL: z
    .url()
    .refine((u) => u.includes('{start}') && u.includes('{end}'), 'a URL with {start} and {end} placeholders')
    .optional(),
  /** Bearer token for STRATEGIS_REPORT_URL. */
  STRATEGIS_API_TOKEN: z.string().min(1).optional(),
  /** Days the pull reaches back (ending yesterday), so strateg.is restatements land. */
  STRATEGIS_WINDOW_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** Per-request timeout of the pull; a timeout is retried by Temporal. */
  STRATEGIS_TIMEOUT: duration.default(60_000),
  /** Manual upload fallback: every new *.csv here is loaded, then moved to loaded/ or rejected/. */
  INBOX_DIR: z.string().min(1).default('data/inbox'),
  /** Every input file, kept unchanged as <sha256>.csv. */
  ARCHIVE_DIR: z.string().min(1).default('data/archive'),
  /** strateg.is campaign -> Meta campaign, owner, category; seeds the campaign_map table. */
  CAMPAIGN_MAP_FILE: z.string().min(1).default('data/campaign-map.csv'),
  /** Local time (in TZ) the daily pipeline's schedule starts each day. */
  DAILY_PIPELINE_AT: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM, e.g. 06:00').default('06:00'),

  // User-defined rules
  /** The folder of rule files (*.yaml, *.yml, *.json, subfolders too) and owners.yaml. */
  RULES_DIR: z.string().min(1).default('rules'),
  /** How often the rules evaluator's schedule runs; each rule's check_every skips it until due. */
  RULES_EVALUATE_EVERY: duration.default(15 * 60_000),

  // Payload encryption (issue 16: no personal data in Temporal histories)
  /** id:<base64 of 32 bytes>, comma-separated; the first encrypts, every one decrypts. The worker refuses to start without it. */
  PAYLOAD_KEYS: z
    .string()
    .transform((value, ctx) => {
      const parsed = parsePayloadKeys(value);
      if ('keys' in parsed) return parsed.keys;
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    })
    .optional(),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const UNECHOED = new Set(['PAYLOAD_KEYS']);

/** Parses an environment; empty strings count as unset so `.env` files can leave a value blank. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(environment)');
      // Keys are never echoed, not even malformed ones: a typo'd key is still most of the key.
      if (UNECHOED.has(name)) return `${name}: ${issue.message}`;
      return `${name}=${JSON.stringify(present[name] ?? '')}: ${issue.message}`;
    }),
  );
}
