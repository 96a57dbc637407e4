import { loadConfigOrExit } from '../../config-env';
import { applySchedules } from '../../schedules';
import { connectClient } from '../../temporal-client';
import { defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';

export const schedulesSpec = defineCommand({
  name: 'schedules',
  args: 'apply',
  options: {},
  about: 'Creates or updates every Temporal Schedule of workers/schedules.ts (idempotent); prints one JSON line each.',
});

export async function schedules(args: string[]): Promise<void> {
  const { positionals } = parseCommandArgs(schedulesSpec, args);
  if (positionals[0] !== 'apply')
    throw new UsageError(
      positionals[0] === undefined
        ? 'schedules: apply is the one action'
        : `schedules: apply is the one action, not "${positionals[0]}"`,
    );
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const config = loadConfigOrExit();
  const client = await connectClient(config);
  try {
    for (const applied of await applySchedules(client, config)) console.log(JSON.stringify(applied));
  } finally {
    await client.connection.close();
  }
}
