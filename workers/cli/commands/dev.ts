import { dateIn } from '../../../lib/dates';
import { loadConfigOrExit } from '../../config-env';
import { demoCampaigns } from '../../demo/setup';
import { withLocalSecrets } from '../../demo/secrets';
import { startLocalStack } from '../../local-stack';
import { sandboxForSample } from '../../meta-sandbox/sample';
import { installLogger, log } from '../../logging';
import { defineCommand, parseCommandArgs } from '../args';

export const devSpec = defineCommand({
  name: 'dev',
  options: {},
  about: `The Temporal dev server (Web UI on :8233) and the worker (JSON API, approval pages) in the
foreground until Ctrl-C. Without META_ACCESS_TOKEN the Graph API sandbox holds the demo's sample
campaigns, so the proposals of \`npm run demo -- --once\` can be approved here.`,
});

/** `scaleflow dev`: the Temporal dev server and the worker in the foreground until Ctrl-C. */
export async function dev(args: string[]): Promise<void> {
  parseCommandArgs(devSpec, args);
  // Approve links the demo printed are signed with its local keys: the same file signs them here.
  const { config: base, notes } = withLocalSecrets(loadConfigOrExit());
  installLogger(base.LOG_LEVEL);
  for (const note of notes) log.info(note);
  const preferredPort = Number(base.TEMPORAL_ADDRESS.split(':')[1]);
  // Without a Meta token the sandbox holds the demo's sample campaigns (as the demo left them, from
  // data/meta-sandbox.json), so the proposals of `npm run demo -- --once` can be approved here and
  // written to them.
  const stack = await startLocalStack(base, {
    preferredPort,
    preferredUiPort: Number(new URL(base.TEMPORAL_UI_URL).port || 8233),
    sandboxSeed: () => sandboxForSample(demoCampaigns(dateIn(base.TZ, new Date()))),
  });
  log.info(`Temporal dev server at ${stack.server.address}`);
  log.info(`Temporal Web UI: ${stack.server.uiUrl}`);
  log.info(`worker running; warehouse ${base.SCALEFLOW_DB}. Ctrl-C stops both.`);
  await stack.done;
}
