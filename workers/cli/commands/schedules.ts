import { loadConfigOrExit } from '../../config-env';
import { applySchedules } from '../../schedules';
import { connectClient } from '../../temporal-client';
import { UsageError } from '../usage';

/** `scaleflow schedules apply`: creates or updates every schedule in workers/schedules.ts. */
export async function schedules(args: string[]): Promise<void> {
  if (args[0] !== 'apply') throw new UsageError('usage: scaleflow schedules apply');
  const config = loadConfigOrExit();
  const client = await connectClient(config);
  try {
    for (const applied of await applySchedules(client, config)) console.log(JSON.stringify(applied));
  } finally {
    await client.connection.close();
  }
}
