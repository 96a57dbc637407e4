import proto, { type temporal } from '@temporalio/proto';
import type { Type } from 'protobufjs';
import protojson from 'protobufjs/ext/protojson.js';

export type History = temporal.api.history.v1.IHistory;

// The SDK's generated History is also protobufjs's reflected type, which reads and writes ProtoJSON:
// the format `temporal workflow show -o json` and the Web UI's download use. Through the public
// packages, not the SDK's internal proto-utils.
const historyType = proto.temporal.api.history.v1.History as unknown as Type;

/** A history as the JSON files of test/histories/ and `npm run history:export` hold it. */
export function historyToJSON(history: History): string {
  return JSON.stringify(
    protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)),
    null,
    2,
  );
}

/** Fields a newer server or SDK added are skipped, as the replay worker does. */
export function historyFromJSON(json: unknown): History {
  return protojson.fromJson(historyType, json, { ignoreUnknownFields: true }) as History;
}
