import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../scripts/temporal.mjs';
import type { BudgetChangeStatus } from '../../lib/approvals/proposal';
import { parseConfig } from '../../lib/config';
import { dataConverter } from '../../workers/data-converter';
import { repoRoot, waitFor } from '../support/processes';

// What a newcomer has: no APPROVAL_SECRET or JWT_SECRET (the demo makes them and keeps them in
// data/local-secrets.json for `scaleflow dev`), and a secret of their own that must not be logged.
const SECRETS = {
  STRATEGIS_API_TOKEN: 'demo-strategis-token-b5e1d9c3a7f2',
};

function run(cwd: string, command: string, args: string[], env: Record<string, string>) {
  // Its own process group, so interrupt() is what Ctrl-C in a terminal does: SIGINT to the group
  // (npx and the node it starts alike).
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  // npm (npx) ends itself with the signal it was stopped by, once its child has exited: a clean
  // Ctrl-C of npx reads as SIGINT, of node as exit code 0.
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const interrupt = () => {
    try {
      process.kill(-child.pid!, 'SIGINT');
    } catch {
      // already gone
    }
  };
  return { child, exited, interrupt, output: () => output };
}

const line = (output: string, pattern: RegExp) => {
  const m = pattern.exec(output);
  if (!m) throw new Error(`no match for ${pattern} in:\n${output}`);
  return m[1]!;
};

/** The live daily budget (cents) the Graph API sandbox shows for a campaign, read as the SDK would. */
async function sandboxBudget(sandboxUrl: string, metaCampaignId: string): Promise<number> {
  const res = await fetch(`${sandboxUrl}/v24.0/${metaCampaignId}?fields=daily_budget&access_token=sandbox-token`);
  expect(res.status).toBe(200);
  return Number(((await res.json()) as { daily_budget: string }).daily_budget);
}

describe('npm run demo on a fresh clone', () => {
  it('runs the day with --once, prints artifacts that exist, logs no secret; after `scaleflow dev` the approve link works and writes to the sandbox, which keeps it', async () => {
    // A fresh clone of what is committed; node_modules is shared rather than installed again
    // (CI proves the install on its own fresh clone), and the Temporal CLI comes from its cache.
    const dir = mkdtempSync(join(tmpdir(), 'scaleflow-demo-'));
    const clone = join(dir, 'scaleflow');
    execFileSync('git', ['clone', '--quiet', repoRoot, clone]);
    symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'), 'dir');
    const [temporalPort, httpPort] = [await freePort(), await freePort()];
    const env = {
      ...SECRETS,
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      HTTP_PORT: String(httpPort),
      PUBLIC_BASE_URL: `http://127.0.0.1:${httpPort}`,
      SMTP_URL: '',
      META_ACCESS_TOKEN: '',
      TZ: 'America/New_York',
      // The run's workflow bundle (the clone holds the same committed code): bundling again in each
      // process would cost the suite half a minute of CPU. Bundling at start is tested elsewhere
      // (test/ops/replay.test.ts), and production images ship a prebuilt bundle the same way.
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    };
    let dev: ReturnType<typeof run> | undefined;
    let client: Client | undefined;
    try {
      const demo = run(clone, 'npm', ['run', 'demo', '--', '--once'], env);
      expect(await demo.exited, demo.output()).toBe(0);
      const out = demo.output();

      expect(out).toMatch(/Loaded: \d+ rows accepted, 0 quarantined/);
      const runLink = line(out, /Temporal Web UI \(this run\): (\S+)/);
      expect(runLink).toMatch(/\/namespaces\/default\/workflows\/daily%2F\d{4}-\d{2}-\d{2}\//);
      const page = line(out, /Report page: (\S+)/);
      expect(existsSync(join(clone, page))).toBe(true);
      const mails = [...out.matchAll(/^ {2}(data\/outbox\/\S+\.eml)$/gm)].map((m) => m[1]!);
      expect(mails.length).toBeGreaterThan(5);
      for (const mail of mails) expect(existsSync(join(clone, mail)), mail).toBe(true);
      expect(mails.some((m) => m.includes('daily-report-team'))).toBe(true);
      const approve = line(out, /Approve link for \S+ \([^)]*\):\n {2}(\S+)/);
      expect(approve.startsWith(`${env.PUBLIC_BASE_URL}/approve/`)).toBe(true);

      // The keys it made up are kept for the next run: owner-only, git-ignored, never printed.
      const secretsFile = join(clone, 'data', 'local-secrets.json');
      expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
      const kept = JSON.parse(readFileSync(secretsFile, 'utf8')) as Record<string, string>;
      expect(Object.keys(kept).sort()).toEqual(['APPROVAL_SECRET', 'AUDIT_SECRET', 'JWT_SECRET', 'PAYLOAD_KEYS']);
      const secrets = { ...SECRETS, ...kept };
      for (const [name, value] of Object.entries(secrets))
        expect(out.includes(value), `${name} appears in the demo's output`).toBe(false);
      // Both files the next run reads are ignored by git (check-ignore prints the ignored ones).
      const ignored = execFileSync('git', ['check-ignore', 'data/local-secrets.json', 'data/meta-sandbox.json'], {
        cwd: clone,
        encoding: 'utf8',
      });
      expect(ignored.split('\n').filter(Boolean)).toEqual(['data/local-secrets.json', 'data/meta-sandbox.json']);
      expect(existsSync(join(clone, 'data', 'meta-sandbox.json'))).toBe(true);

      // `npx scaleflow dev`, as the README says, brings the same server (its SQLite file), worker, keys
      // and sandbox back. The second restart only checks what the sandbox kept, so it starts the
      // build the demo compiled into dist/ (the same CLI) rather than compiling through tsx again.
      const startDev = async (how: 'npx' | 'dist') => {
        const [command, args] =
          how === 'npx' ? ['npx', ['scaleflow', 'dev']] : [process.execPath, ['dist/scaleflow.js', 'dev']];
        const started = run(clone, command as string, args as string[], { ...env, LOG_LEVEL: 'WARN' });
        await waitFor(
          async () => (await fetch(`${env.PUBLIC_BASE_URL}/healthz`).catch(() => undefined))?.ok,
          60_000,
          'the worker to serve again',
        );
        return { started, sandboxUrl: line(started.output(), /Graph API SANDBOX at (\S+)/) };
      };
      const first = await startDev('npx');
      dev = first.started;
      // The runs' payloads are encrypted with the demo's local key: a client reads them with it.
      const demoKeys = parseConfig({ PAYLOAD_KEYS: kept.PAYLOAD_KEYS }).PAYLOAD_KEYS!;
      client = new Client({
        connection: await Connection.connect({ address: env.TEMPORAL_ADDRESS }),
        dataConverter: dataConverter(demoKeys),
      });
      const dayId = decodeURIComponent(line(runLink, /\/workflows\/([^/]+)\//));
      expect((await client.workflow.getHandle(dayId).describe()).status.name).toBe('COMPLETED');

      const budgetChangeId = decodeURIComponent(line(out, /its budgetChange in the Web UI: \S+\/workflows\/(\S+)/));
      const { proposal } = (await client.workflow.getHandle(budgetChangeId).query('status')) as BudgetChangeStatus;
      expect(proposal.action.kind).toBe('set_daily_budget');
      const action = proposal.action as Extract<BudgetChangeStatus['proposal']['action'], { kind: 'set_daily_budget' }>;
      expect(action.toCents).not.toBe(action.fromCents);
      // Meta (the sandbox) still shows the budget the proposal was made from.
      expect(await sandboxBudget(first.sandboxUrl, proposal.metaCampaignId)).toBe(action.fromCents);

      // The printed link shows the proposal, and Approve (the form's POST, as the button sends it)
      // is recorded: the key that signed the link is the one this worker checks it with.
      const shown = await fetch(approve);
      const proposalPage = await shown.text();
      expect(shown.status, proposalPage).toBe(200);
      expect(proposalPage).toContain('value="approve"');
      expect(proposalPage).toContain(proposal.campaignName);
      const decided = await fetch(approve, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'decision=approve',
      });
      expect(decided.status).toBe(200);
      expect(await decided.text()).toMatch(/Approved by/);
      const state = await waitFor(
        async () => {
          const s = (await client!.workflow.getHandle(budgetChangeId).query('status')) as BudgetChangeStatus;
          return ['written', 'dry_run', 'refused', 'write_failed'].includes(s.state) && s.state;
        },
        30_000,
        'the approved change to be written',
      );
      expect(state).toBe('written');
      expect(await sandboxBudget(first.sandboxUrl, proposal.metaCampaignId)).toBe(action.toCents);
      for (const [name, value] of Object.entries(secrets))
        expect(dev.output().includes(value), `${name} appears in the dev output`).toBe(false);

      // Ctrl-C and back again: Meta still holds the approved budget.
      dev.interrupt();
      expect([0, 'SIGINT']).toContain(await dev.exited);
      const second = await startDev('dist');
      dev = second.started;
      expect(await sandboxBudget(second.sandboxUrl, proposal.metaCampaignId)).toBe(action.toCents);
    } finally {
      await client?.connection.close();
      if (dev) {
        dev.interrupt();
        await dev.exited;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
