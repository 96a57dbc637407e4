import { claimsSchema } from '../../../lib/auth';
import { loadConfigOrExit } from '../../config-env';
import { signApiToken } from '../../http/jwt';
import { defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';

export const tokenSpec = defineCommand({
  name: 'token',
  options: {
    role: { type: 'string', value: 'ROLE', help: 'buyer, manager or approver', required: true },
    sub: { type: 'string', value: 'EMAIL', help: 'who the token is for', required: true },
    owner: { type: 'string', value: 'NAME', help: 'a buyer: the owner whose campaigns they see' },
    expires: { type: 'string', value: 'DURATION', help: 'how long it is valid', default: '12h' },
  },
  about: 'Mints a JSON API token (HS256, signed with JWT_SECRET) and prints it.',
});

export async function token(args: string[]): Promise<void> {
  const { values } = parseCommandArgs(tokenSpec, args);
  const config = loadConfigOrExit();
  if (!config.JWT_SECRET) throw new UsageError('JWT_SECRET is not set: the token would not verify on the worker');
  const claims = claimsSchema.safeParse({ role: values.role, sub: values.sub, owner: values.owner });
  if (!claims.success) {
    const issue = claims.error.issues[0]!;
    throw new UsageError(`--${String(issue.path[0])}: ${issue.message}`);
  }
  console.log(await signApiToken(config.JWT_SECRET, claims.data, values.expires));
}
