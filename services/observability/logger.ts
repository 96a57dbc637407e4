import { pino, type DestinationStream, type Logger } from 'pino';

/** LOG_LEVEL's names (lib/config.ts, the Temporal SDK's) as pino's. */
const PINO_LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;
export type LogLevelName = keyof typeof PINO_LEVELS;

/**
 * Keys whose values never reach a log line, at the top of a logged object or up to two levels down (a
 * request's headers, a config object, an error's options). By key, because a value that leaked
 * cannot be recognised by its shape. Every credential in lib/config.ts is listed by name too.
 */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'apiKey',
  'api_key',
  'token',
  'accessToken',
  'access_token',
  'password',
  'pass',
  'secret',
  'signingKey',
  'privateKey',
  'JWT_SECRET',
  'APPROVAL_SECRET',
  'AUDIT_SECRET',
  'META_ACCESS_TOKEN',
  'META_APP_SECRET',
  'STRATEGIS_API_TOKEN',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS_CLIENT_KEY_DATA',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SMTP_URL',
  'PAYLOAD_KEYS',
];
export const REDACTED_PATHS = SECRET_KEYS.flatMap((k) => [`["${k}"]`, `*["${k}"]`, `*.*["${k}"]`]);

/**
 * The one logger of the worker, the HTTP server and the CLI: JSON lines on stderr (stdout is the
 * CLI's answer), synchronous so the line before an exit is not lost.
 */
export function createLogger(level: LogLevelName = 'INFO', destination?: DestinationStream): Logger {
  return pino(
    {
      level: PINO_LEVELS[level],
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[Redacted]' },
    },
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

let current: Logger | undefined;

/** The process's logger; INFO on stderr until installProcessLogger sets it from LOG_LEVEL. */
export function logger(): Logger {
  return (current ??= createLogger());
}

export function installProcessLogger(level: LogLevelName, destination?: DestinationStream): Logger {
  current = createLogger(level, destination);
  return current;
}
