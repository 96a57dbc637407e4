import { claimsSchema } from '../../../lib/auth';
import { describeDuration, durationSchema } from '../../../lib/config';
import { loadConfigOrExit } from '../../config-env';
import { signApiToken } from '../../http/jwt';
import { defineCommand, parseCommandArgs } from '../args';
import { UsageError } from '../usage';

export const tokenSpec = defineCommand({
  name: 'token',
  options: {
    role: { type: 'string', value: 'ROLE', help: 'buyer, manager or approver', required: true },
    sub: { type: 'string', value: 'EMAIL', help: 'who the token is for', required: true },
    owner: { type: 'string', value: 'NAME', help: 'a buyer: the owner whose campaigns they see ("all" is reserved)' },
    expires: {
      type: 'string',
      value: 'DURATION',
      help: 'how long it is valid (90m, 12h, 7d), at most JWT_MAX_TTL',
      default: '12h',
    },
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
  const ttl = durationSchema.safeParse(values.expires);
  if (!ttl.success) throw new UsageError(`--expires: "${values.expires}" is not ${ttl.error.issues[0]!.message}`);
  // The worker refuses a longer-lived token, so minting one would only hand out something useless.
  if (ttl.data > config.JWT_MAX_TTL) {
    throw new UsageError(
      `--expires: ${values.expires} is longer than JWT_MAX_TTL (${describeDuration(config.JWT_MAX_TTL)}); ask for at most that, or raise JWT_MAX_TTL on the worker too`,
    );
  }
  console.log(await signApiToken(config.JWT_SECRET, claims.data, ttl.data));
}
