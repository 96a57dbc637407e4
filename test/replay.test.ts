import { readdirSync, readFileSync, statSync } from 'node:fs';
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

/** Every patch id the workflow code asks patched() about, a constant's name resolved within its file. */
function patchIds(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return patchIds(path);
    const code = readFileSync(path, 'utf8');
    const calls = [...code.matchAll(/patched\(\s*(?:'([^']+)'|([A-Z_]+))\s*\)/g)];
    // A call this cannot read (an id from a variable, say) would otherwise go unchecked.
    expect(calls.length, path).toBe(code.match(/\bpatched\(/g)?.length ?? 0);
    return calls.map(([, literal, constant]) => literal ?? new RegExp(`const ${constant} = '([^']+)'`).exec(code)![1]!);
  });
}

type Marker = { markerName?: string; details?: Record<string, { payloads: { data: string }[] }> };

/** The patch ids a history's markers record (the SDK writes them as plain JSON, never through the codec). */
function markersOf(history: { events: { markerRecordedEventAttributes?: Marker }[] }) {
  return history.events.flatMap(({ markerRecordedEventAttributes: m }) => {
    if (m?.markerName !== 'core_patch') return [];
    const { payloads } = m.details!['patch-data']!;
    return payloads.map((p) => (JSON.parse(Buffer.from(p.data, 'base64').toString('utf8')) as { id: string }).id);
  });
}

/**
 * A history with the workflow id it ran under (the started event names it), since code may derive
 * ids from it: spendSync names its children after its own id. Older exports without it use the file's name.
 */
/**
 * Where a history holds payloads in clear that no codec wrote: the SDK's own marker records (patch
 * ids, a local activity's seq and type) and search attributes are exempt; a workflow's or activity's data is not.
 */
function clearPayloads(node: unknown, path = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((n) => clearPayloads(n, path));
  if (!node || typeof node !== 'object') return [];
  const { metadata } = node as { metadata?: { encoding?: string } };
  if (metadata?.encoding) {
    const encoding = Buffer.from(metadata.encoding, 'base64').toString('utf8');
    const exempt = /markerRecordedEventAttributes\/details\/(patch-data|data)\/payloads$|searchAttributes/.test(path);
    return encoding === 'binary/encrypted' || exempt ? [] : [`${path}: ${encoding}`];
  }
  return Object.entries(node).flatMap(([key, value]) => clearPayloads(value, `${path}/${key}`));
}

function load(file: string) {
  const history = JSON.parse(readFileSync(join(historiesDir, file), 'utf8'));
  const started = history.events[0]?.workflowExecutionStartedEventAttributes as { workflowId?: string } | undefined;
  return { workflowId: started?.workflowId ?? file.replace(/\.json$/, ''), history };
}

describe("replay of recorded histories against today's workflow code", () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('goes through every patched() path of the workflow code in at least one history', () => {
    const ids = [...new Set(patchIds(fileURLToPath(new URL('../workflows', import.meta.url))))].sort();
    const covered = new Set(files.flatMap((f) => markersOf(load(f).history)));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id) => !covered.has(id))).toEqual([]);
  });

  it.each(['spend-sync-account-adsets', 'spend-sync-child-per-account', 'daily-pipeline-plan-by-reference'])(
    '%s, recorded through the codec, holds no payload in clear and no address',
    (name) => {
      const { history } = load(`${name}.json`);
      expect(clearPayloads(history)).toEqual([]);
      expect(JSON.stringify(history)).not.toMatch(/@example\.com/);
    },
  );

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const results = [];
    for await (const result of Worker.runReplayHistories(replayOptions(), [load(file)])) results.push(result);
    expect(results).toHaveLength(1);
    expect(results[0]!.error).toBeUndefined();
  });

  // Each patched path's history pins the order of its steps: two activities swapped in the code
  // (here, in the history) make it fail, as a deliberate swap in the workflow code did (see the commit).
  it.each([
    ['spend-sync-account-adsets', 'metaFetchAudiencesPage', 'metaFetchAdSetsPage'],
    ['spend-sync-child-per-account', 'metaSyncStart', 'metaSyncFinish'],
    ['daily-pipeline-plan-by-reference', 'spoolBudgetChanges', 'budgetChangeSettings'],
    ['budget-change-email-only-approvers-no-slack-step', 'resolveApprovalChannels', 'requestApproval'],
  ])('%s fails replay once %s and %s trade places', async (name, a, b) => {
    const { workflowId, history } = load(`${name}.json`);
    const swapped = JSON.stringify(history)
      .replaceAll(`"${a}"`, '"swap-placeholder"')
      .replaceAll(`"${b}"`, `"${a}"`)
      .replaceAll('"swap-placeholder"', `"${b}"`);
    expect(swapped).not.toBe(JSON.stringify(history));
    const results = [];
    for await (const result of Worker.runReplayHistories(replayOptions(), [
      { workflowId, history: JSON.parse(swapped) },
    ])) {
      results.push(result);
    }
    expect(results[0]!.error?.name).toBe('DeterminismViolationError');
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
