import type { Payload } from '@temporalio/common';
import { z } from 'zod';

/**
 * The codec server protocol of the Temporal Web UI and CLI: `{payloads: [{metadata: {k: base64},
 * data: base64}]}`, the proto3 JSON form of a list of payloads.
 */
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

export const codecRequestSchema = z.strictObject({
  payloads: z
    .array(
      z.object({
        metadata: z.record(z.string().max(256), base64).nullish(),
        data: base64.nullish(),
      }),
    )
    .max(1000),
});
export type CodecRequest = z.infer<typeof codecRequestSchema>;
type WirePayload = CodecRequest['payloads'][number];

export function fromWire({ metadata, data }: WirePayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

export function toWire({ metadata, data }: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
    ),
    data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
  };
}
