import { ConfigError, parseConfig, type Config } from '../lib/config';
import { diag } from './diagnostics';
import { profileAsEnv } from './temporal-connection';

/**
 * The configuration of this process: the environment over the Temporal config profile it names
 * (TEMPORAL_CONFIG_FILE / TEMPORAL_PROFILE), so a variable set in the environment always wins.
 */
export function parseEnvironment(env: Record<string, string | undefined>): Config {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  return parseConfig({ ...profileAsEnv(set), ...set });
}

/** Parses process.env; a bad variable stops the process naming it and what it expects. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return parseEnvironment(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      diag.error(`scaleflow: ${err.message}`, { problems: err.problems });
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
