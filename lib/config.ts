import { isIP } from 'node:net';
import { formatDuration } from 'date-fns';
import { z } from 'zod';
import { dailyBudgetLimitsSetting } from './approvals/currency-limits';
import { parsePayloadKeys } from './codec/keys';
import { durationMs } from './duration';
import { ownerRecipientsSchema, teamRecipientsSchema } from './reports/recipients';

/**
 * Every environment variable scaleflow reads, parsed once at start. `.env.example` mirrors this
 * schema; a test keeps the two in step.
 */
/** A duration such as 24h, 7d or 90s (Temporal's own format), as milliseconds. */
const duration = z.string().transform((value, ctx) => {
  const ms = durationMs(value);
  if (ms !== undefined && ms > 0) return ms;
  ctx.addIssue({ code: 'custom', message: 'a duration such as 90s, 15m, 24h or 7d' });
  return z.NEVER;
});

/** One CIDR (10.0.0.0/8, fd00::/8) or one address (a /32 or /128), as node:net's BlockList takes it. */
const proxyRange = z.string().transform((value, ctx) => {
  const [address = '', prefixText, ...rest] = value.split('/');
  const family = isIP(address);
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (family !== 0 && rest.length === 0 && prefix >= 0 && prefix <= max) {
    return { address, prefix, family: family === 4 ? ('ipv4' as const) : ('ipv6' as const) };
  }
  ctx.addIssue({
    code: 'custom',
    message: `"${value}" is not a CIDR; expected comma-separated CIDRs such as 10.0.0.0/8,fd00::/8 or addresses such as 127.0.0.1`,
  });
  return z.NEVER;
});
/** The same syntax for durations given on the command line (`scaleflow token --expires`). */
export const durationSchema = duration;

/** A duration in milliseconds as people read it ("30 days", "12 hours"), for messages naming a limit. */
export function describeDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const parts = {
    days: Math.floor(s / 86_400),
    hours: Math.floor((s % 86_400) / 3600),
    minutes: Math.floor((s % 3600) / 60),
    seconds: s % 60,
  };
  return formatDuration(parts) || '0 seconds';
}

/** The longest an API token may live unless JWT_MAX_TTL says otherwise. */
export const DEFAULT_JWT_MAX_TTL_MS = 30 * 24 * 3600 * 1000;
/** A DNS host name: dot-separated labels of letters, digits and inner dashes. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

const HOST_NAME_ANY_CASE = new RegExp(HOST_NAME.source, 'i');

const flag = z.stringbool({ truthy: ['true', '1', 'yes'], falsy: ['false', '0', 'no'] });

export const configSchema = z.object({
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, 'host:port, e.g. 127.0.0.1:7233')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  // How to reach a TLS or API-key cluster (Temporal Cloud included). The names are Temporal's own
  // (its CLI and SDKs read the same ones), so one environment serves `temporal` and scaleflow.
  // workers/temporal-connection.ts reads the files at start and stops naming a bad one.
  /** A Temporal config profile (TOML) to start from; the variables above and below override its values. */
  TEMPORAL_CONFIG_FILE: z.string().min(1).optional(),
  /** The profile's name in TEMPORAL_CONFIG_FILE (or ~/.config/temporalio/temporal.toml); default "default". */
  TEMPORAL_PROFILE: z.string().min(1).optional(),
  /** An API key (Temporal Cloud); it turns TLS on unless TEMPORAL_TLS=false. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  /** TLS to the frontend; set implicitly by any TEMPORAL_TLS_* file or an API key. */
  TEMPORAL_TLS: flag.optional(),
  /** PEM CA that signed the frontend's certificate; unset: the system's roots. */
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: z.string().min(1).optional(),
  /** PEM client certificate and its key, for clusters that require mTLS: both or neither. */
  TEMPORAL_TLS_CLIENT_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_CERT_DATA: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_KEY_DATA: z.string().min(1).optional(),
  /** The name the frontend's certificate is checked against, when it differs from the address's host. */
  TEMPORAL_TLS_SERVER_NAME: z.string().regex(HOST_NAME_ANY_CASE, 'a host name such as temporal.example.com').optional(),
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
  /** OTLP/HTTP collector base URL: traces go to <url>/v1/traces. Unset: no tracing at all (docs/operations.md). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Decision thresholds overriding METRICS.md's defaults, globally and per owner (JSON). Unset: defaults. */
  THRESHOLDS_FILE: z.string().min(1).optional(),
  /** Where the Temporal SDK's runtime metrics are exported (host:port); /metrics merges them in. Empty: off. */
  SDK_METRICS_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, 'host:port, e.g. 127.0.0.1:9464')
    .optional(),
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
  /** Calibration: a band with at least this many checks whose 95% interval tops out below 80% is clearly wrong. */
  CALIBRATION_MIN_CHECKS: z.coerce.number().int().positive().default(20),
  MIN_DAILY_BUDGET_USD: z.coerce.number().nonnegative().default(1),
  MAX_DAILY_BUDGET_USD: z.coerce.number().positive().default(10_000),
  /**
   * Daily budget bounds of ad accounts in other currencies, in their major unit (JSON, e.g.
   * {"JPY": {"min": 150, "max": 1500000}}); a proposal in a currency not listed is refused.
   */
  DAILY_BUDGET_LIMITS: dailyBudgetLimitsSetting.default({}),
  DAILY_ACTION_LIMIT_PER_OWNER: z.coerce.number().int().positive().default(20),
  /** Owners whose budget writes are recorded but never sent (comma-separated), on top of DRY_RUN. */
  DRY_RUN_OWNERS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim().toLowerCase())
        .filter(Boolean),
    ),

  // Slack (docs/slack.md)
  /** The bot's token (xoxb-…, scope chat:write); required when an approver in APPROVERS_FILE chooses slack or both. */
  SLACK_BOT_TOKEN: z.string().min(1).optional(),
  /** The Slack app's signing secret, checked on every button click; required with SLACK_BOT_TOKEN's approvers. */
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  /** Where the Web API is called (ends with /): Slack itself, or a loopback stand-in in tests. */
  SLACK_API_URL: z
    .url()
    .refine((u) => u.endsWith('/'), 'a URL ending with /, e.g. https://slack.com/api/')
    .default('https://slack.com/api/'),
  /** The channel (id or #name) alerts and the morning summary post to; unset, they go by email only. */
  SLACK_CHANNEL: z.string().min(1).optional(),

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
    .transform((s) =>
      s
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^act_\d+$/, 'ad account ids such as act_1001,act_1002 (comma-separated)'))),
  /** Where the SDK sends Graph API calls: Meta itself, or the loopback sandbox. */
  META_GRAPH_URL: z.url().default('https://graph.facebook.com'),
  META_API_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'a Graph API version such as v24.0')
    .default('v24.0'),
  /**
   * Campaigns (and insights rows) per Graph API page; one page is one activity, so a retry never re-reads another
   * page.
   */
  META_PAGE_SIZE: z.coerce.number().int().min(1).max(500).default(100),
  /** How long one Graph API call may take before it is abandoned and retried. */
  META_REQUEST_TIMEOUT: duration.default(60_000),
  /** The shortest wait after a rate-limit answer, when Meta's usage headers say less (or nothing). */
  META_RATE_LIMIT_MIN_WAIT: duration.default(60_000),
  /** Accounts with at least this many campaigns read insights through Meta's asynchronous report runs; 0: never. */
  META_ASYNC_INSIGHTS_CAMPAIGNS: z.coerce.number().int().min(0).default(1000),
  /** How often a running asynchronous report run is polled. */
  META_REPORT_POLL_INTERVAL: duration.default(5_000),
  /**
   * Graph API activities per second across every meta worker together (the task queue's own limit,
   * kept by the Temporal server), so replicas share Meta's quota instead of each taking it whole.
   * Unset: no limit beyond Meta's rate-limit answers, which each page waits out.
   */
  META_MAX_TASK_QUEUE_ACTIVITIES_PER_SECOND: z.coerce.number().positive().max(10_000).optional(),
  /** The same limit for one meta worker alone. */
  META_MAX_ACTIVITIES_PER_SECOND: z.coerce.number().positive().max(10_000).optional(),
  /**
   * Where meta workers leave each Graph API page for the warehouse to load (one file per page),
   * shared by both: the same directory on one host, a shared volume across hosts.
   */
  SPOOL_DIR: z.string().min(1).default('data/spool'),

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
  DAILY_PIPELINE_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM, e.g. 06:00')
    .default('06:00'),

  // User-defined rules
  /** The folder of rule files (*.yaml, *.yml, *.json, subfolders too) and owners.yaml. */
  RULES_DIR: z.string().min(1).default('rules'),
  /** How often the rules evaluator's schedule runs; each rule's check_every skips it until due. */
  RULES_EVALUATE_EVERY: duration.default(15 * 60_000),

  // Reverse proxy (issue 16)
  /**
   * Proxies whose X-Forwarded-For is believed (comma-separated CIDRs or single addresses, IPv4 and
   * IPv6). Empty: the socket's peer is the client, whatever the header says.
   */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    )
    .pipe(z.array(proxyRange)),
  // Audit chain (issue 16)
  /**
   * HMAC key (32+ characters) chaining the audit log; the worker will not start and `audit --verify` will not run
   * without it.
   */
  AUDIT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  // API token lifetime and revocation (issue 16 item 4)
  /** The longest an API token may live (exp - iat, and exp - now); `scaleflow token --expires` is capped by it. */
  JWT_MAX_TTL: duration.default(DEFAULT_JWT_MAX_TTL_MS),
  /** Revokes every API token issued (iat) before this instant; tokens must then carry iat. Unset: none revoked. */
  JWT_NOT_BEFORE: z.iso
    .datetime({ offset: true, error: 'an ISO timestamp with its offset, e.g. 2025-10-13T09:00:00Z' })
    .transform((s) => new Date(s))
    .optional(),
  // Rule webhooks (issue 16): where a buyer's rule may POST from inside the worker's network
  /** Host names a rule's webhook may reach (comma-separated); empty: webhooks are off. */
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((h) => h.trim().toLowerCase().replace(/\.$/, ''))
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .refine(
            (h) => isIP(h) !== 0 || HOST_NAME.test(h),
            'host names, comma-separated, e.g. hooks.slack.com,example.org (no scheme, port, path or wildcard)',
          ),
      ),
    ),
  /** Tests only: lets webhooks reach loopback addresses; refused at start unless NODE_ENV=test (see parseConfig). */
  WEBHOOK_ALLOW_LOOPBACK: flag.default(false),
  // Payload encryption (issue 16: no personal data in Temporal histories)
  /**
   * id:<base64 of 32 bytes>, comma-separated; the first encrypts, every one decrypts. The worker refuses to start
   * without it.
   */
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

/**
 * Variables whose value is a credential or may carry one (SMTP_URL's user:password, the
 * payload codec's keys). A start-up error lands in terminals, CI logs and log shippers, and a
 * malformed secret is usually a real one pasted wrong, so these are named, never quoted.
 */
export function isSecretName(name: string): boolean {
  return /SECRET|TOKEN|PASSWORD|KEY/.test(name.toUpperCase()) || name === 'SMTP_URL' || name === 'PAYLOAD_KEYS';
}

/** One problem, naming the variable; the received value only when it is not a secret. */
function describeIssue(name: string, value: string | undefined, message: string): string {
  if (!isSecretName(name)) return `${name}=${JSON.stringify(value ?? '')}: ${message}`;
  // A validator's own message could quote what it read; cut the value out of it as well.
  const scrubbed = value && value.length >= 4 ? message.split(value).join('(hidden)') : message;
  return `${name}: ${scrubbed} (a secret: its value is not shown)`;
}

/** Parses an environment; empty strings count as unset so `.env` files can leave a value blank. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(present);
  if (result.success) {
    // A switch that opens loopback to buyers' webhooks must not survive into a deployment by
    // accident: it takes a second, deliberate NODE_ENV=test (the Dockerfile sets production).
    if (result.data.WEBHOOK_ALLOW_LOOPBACK && present.NODE_ENV !== 'test') {
      throw new ConfigError([
        `WEBHOOK_ALLOW_LOOPBACK=${JSON.stringify(present.WEBHOOK_ALLOW_LOOPBACK)}: for tests only, refused unless NODE_ENV=test`,
      ]);
    }
    return result.data;
  }
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(environment)');
      return describeIssue(name, present[name], issue.message);
    }),
  );
}
