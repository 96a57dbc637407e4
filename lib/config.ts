import { z } from 'zod';

/**
 * Every environment variable scaleflow reads, parsed once at start. `.env.example` mirrors this
 * schema; a test keeps the two in step.
 */
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
  /** HS256 key for API tokens; unset, the JSON API answers 401 to everyone (said at start). */
  JWT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  /** Seconds in-flight activities get to finish on SIGTERM before they are cancelled and retried. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  DRY_RUN: flag.default(false),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment; empty strings count as unset so `.env` files can leave a value blank. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(environment)');
      return `${name}=${JSON.stringify(present[name] ?? '')}: ${issue.message}`;
    }),
  );
}
