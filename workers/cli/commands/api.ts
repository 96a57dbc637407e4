import { defineCommand, parseCommandArgs } from '../args';

export const apiSpec = defineCommand({
  name: 'api',
  options: {},
  about: `The approval pages (and the codec endpoint) on HTTP_HOST:HTTP_PORT, needing only Temporal,
until SIGINT/SIGTERM. A click is sent to its budgetChange workflow as an Update and kept there even
while the warehouse worker is down; the audit row and the write follow when it is back. The JSON API's
other routes keep their auth and answer 503 naming the warehouse worker, which serves them.`,
});

export async function api(args: string[]): Promise<void> {
  parseCommandArgs(apiSpec, args);
  const { runApiProcess } = await import('../../api-process');
  await runApiProcess();
}
