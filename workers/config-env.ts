import { ConfigError, parseConfig, type Config } from '../lib/config';

/** Parses process.env; a bad variable stops the process naming it and what it expects. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`scaleflow: ${err.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
