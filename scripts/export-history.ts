// Saves a workflow's event history as JSON for the replay tests:
//   npm run history:export -- <workflowId> [--run RUN_ID] [--out test/histories/NAME.json]
// Uses TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE like every other command.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { historyToJSON } from '../workers/history-json';
import { loadConfigOrExit } from '../workers/config-env';
import { connectClient } from '../workers/temporal-client';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { run: { type: 'string' }, out: { type: 'string' } },
});
const workflowId = positionals[0];
if (!workflowId) {
  console.error('usage: npm run history:export -- <workflowId> [--run RUN_ID] [--out FILE]');
  process.exit(2);
}
const config = loadConfigOrExit();
// The history is saved as the server keeps it: payloads stay encrypted, so the file holds no
// personal data and replays with PAYLOAD_KEYS. No key is needed to export.
const client = await connectClient(config, { keys: 'optional' });
const history = await client.workflow.getHandle(workflowId, values.run).fetchHistory();
const out = values.out ?? `test/histories/${workflowId.replace(/[^a-zA-Z0-9-]+/g, '_')}.json`;
writeFileSync(out, `${historyToJSON(history)}\n`);
console.log(`wrote ${history.events?.length ?? 0} events to ${out}`);
await client.connection.close();
