import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, inject } from 'vitest';
import { Worker } from '@temporalio/worker';
import { dataConverter } from '../workers/data-converter';
import { testPayloadKeys } from './support/temporal';

const historiesDir = fileURLToPath(new URL('./histories', import.meta.url));
const files = readdirSync(historiesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();
// Histories recorded since payload encryption decrypt with the tests' key; older ones are in clear and pass through.
const replayOptions = () => ({
  workflowBundle: { codePath: inject('workflowBundlePath') },
  dataConverter: dataConverter(testPayloadKeys()),
});

function load(file: string) {
  return {
    workflowId: file.replace(/\.json$/, ''),
    history: JSON.parse(readFileSync(join(historiesDir, file), 'utf8')),
  };
}

describe("replay of recorded histories against today's workflow code", () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const results = [];
    for await (const result of Worker.runReplayHistories(replayOptions(), [load(file)])) results.push(result);
    expect(results).toHaveLength(1);
    expect(results[0]!.error).toBeUndefined();
  });

  it('catches a history whose commands no longer match the code', async () => {
    const { workflowId, history } = load(files.find((f) => f.startsWith('healthcheck'))!);
    // Pretend the recorded run scheduled a different activity than the code does now.
    const text = JSON.stringify(history).replaceAll('"probeWarehouse"', '"someOtherActivity"');
    const results = [];
    for await (const result of Worker.runReplayHistories(replayOptions(), [
      { workflowId, history: JSON.parse(text) },
    ])) {
      results.push(result);
    }
    expect(results[0]!.error?.name).toBe('DeterminismViolationError');
  });
});
