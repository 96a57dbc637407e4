import { EncryptionCodec, PayloadKeyError } from '../../lib/codec/encryption';
import { codecRequestSchema, fromWire, toWire } from '../../lib/codec/wire';
import type { Config } from '../../lib/config';
import { workerPayloadKeys } from '../data-converter';
import { HttpError } from './errors';
import { codecAnswerSchema } from '../../lib/api/answers';
import { route, type Route } from './router';

/**
 * The codec server for the Temporal Web UI and CLI (`--codec-endpoint <worker>/codec`): decode shows
 * ops the payloads the worker encrypted; encode lets the UI send a signal or start a run. Managers
 * only (a Bearer API token with role manager): the payloads hold approvers' emails, IPs and browsers,
 * which buyers and approvers do not read elsewhere either. Browsers may call it from the Web UI's
 * origin (TEMPORAL_UI_URL) only.
 */
export function codecRoutes({ config }: { config: Config }): Route[] {
  const codec = new EncryptionCodec(workerPayloadKeys(config));
  const cors = { origin: new URL(config.TEMPORAL_UI_URL).origin };
  const codecRoute = (op: 'encode' | 'decode'): Route =>
    route({
      method: 'POST',
      path: `/codec/${op}`,
      summary: `The Temporal Web UI's codec server: ${op} payloads`,
      access: ['manager'],
      cors,
      body: codecRequestSchema,
      responses: { 200: codecAnswerSchema },
      async handler(ctx) {
        const { payloads } = ctx.body;
        try {
          const out = await codec[op](payloads.map(fromWire));
          return { json: { payloads: out.map(toWire) } };
        } catch (err) {
          // A payload under a key this worker does not hold, or altered: the caller's data, not a fault here.
          if (err instanceof PayloadKeyError)
            throw new HttpError(400, 'invalid_request', `body parameter "payloads": ${err.message}`, {
              field: 'payloads',
            });
          throw err;
        }
      },
    });
  return [codecRoute('decode'), codecRoute('encode')];
}
