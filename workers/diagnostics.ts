// What a process says on stderr besides its answer: the CLI's warnings, errors and notes, a
// worker's start-up refusals. Human text by default; with `--log-format json` or LOG_FORMAT=json,
// the JSON lines of the one logger (services/observability/logger.ts), secrets redacted, so a log
// shipper reads the CLI and the worker alike. Never stdout: that is the command's JSON answer.
import { logFormatSchema, type LogFormat } from '../lib/config';
import { installProcessLogger, logger, type LogLevelName } from '../services/observability/logger';

let chosen: LogFormat | undefined;

/** LOG_FORMAT as set, or undefined when it is not one of the formats (the caller names it). */
export function logFormatFromEnv(env: Record<string, string | undefined> = process.env): LogFormat | undefined {
  return logFormatSchema.safeParse(env.LOG_FORMAT || 'text').data;
}

/** Chooses the format for the rest of the process; JSON installs the logger at LOG_LEVEL. */
export function setLogFormat(format: LogFormat, env: Record<string, string | undefined> = process.env): void {
  chosen = format;
  if (format === 'json') {
    const level = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'].includes(env.LOG_LEVEL ?? '') ? env.LOG_LEVEL : 'INFO';
    installProcessLogger(level as LogLevelName);
  }
}

export function logFormat(): LogFormat {
  return (chosen ??= logFormatFromEnv() ?? 'text');
}

type Level = 'info' | 'warn' | 'error';

function say(level: Level, message: string, fields: object): void {
  if (logFormat() === 'json') logger()[level](fields, message);
  else console.error(message);
}

/**
 * The process's messages. `message` is the text a person reads (as it always was); `fields` are
 * extra JSON fields, shown only in JSON.
 */
export const diag = {
  info: (message: string, fields: object = {}) => say('info', message, fields),
  warn: (message: string, fields: object = {}) => say('warn', message, fields),
  error: (message: string, fields: object = {}) => say('error', message, fields),
};

/**
 * An error nobody handled. In JSON it is one line with the error serialized (type, message, stack,
 * its own fields), secrets redacted by key and by value; in text it is for the caller to rethrow,
 * as Node prints it. Returns whether it was written.
 */
export function logUnhandled(err: unknown): boolean {
  if (logFormat() !== 'json') return false;
  logger().error({ err }, `scaleflow: ${err instanceof Error ? err.message : String(err)}`);
  return true;
}
