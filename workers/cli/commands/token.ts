import { parseArgs } from 'node:util';
import { claimsSchema } from '../../../lib/auth';
import { loadConfigOrExit } from '../../config-env';
import { signApiToken } from '../../http/jwt';
import { UsageError } from '../usage';

/** `scaleflow token --role buyer|manager|approver --sub EMAIL [--owner NAME] [--expires 12h]`: mints an API token. */
export async function token(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { role: { type: 'string' }, sub: { type: 'string' }, owner: { type: 'string' }, expires: { type: 'string', default: '12h' } },
  });
  const config = loadConfigOrExit();
  if (!config.JWT_SECRET) throw new UsageError('JWT_SECRET is not set: the token would not verify on the worker');
  const claims = claimsSchema.safeParse({ role: values.role, sub: values.sub, owner: values.owner });
  if (!claims.success) {
    const issue = claims.error.issues[0]!;
    throw new UsageError(`--${String(issue.path[0])}: ${issue.message}`);
  }
  console.log(await signApiToken(config.JWT_SECRET, claims.data, values.expires));
}
