import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { approverPolicySchema, routeApprovers } from '../../lib/approvals/approvers';
import { readApproverPolicy } from '../../services/approvals/approvers-file';
import { spawnWorker } from '../support/processes';
import { TEST_PAYLOAD_KEYS } from '../support/temporal';
import { proposal } from './harness';

const managers = ['boss@example.com'];
const base = { default: ['lead@example.com'], owners: { ben: ['ben.lead@example.com'] }, managers };

/** A move of `from` -> `to` major units in `currency` (hundredths of the unit inside, as everywhere). */
const move = (currency: string | undefined, from: number, to: number) =>
  proposal({
    ...(currency ? { currency } : {}),
    action: { kind: 'set_daily_budget', fromCents: Math.round(from * 100), toCents: Math.round(to * 100) },
  });

function writeFile(name: string, body: unknown): string {
  const path = join(inject('scratchDir'), `approvers-${name}-${process.pid}.json`);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

describe('manager routing in the ad account currency (APPROVERS_FILE manager_above)', () => {
  const policy = approverPolicySchema.parse({ ...base, manager_above: { USD: 1000, JPY: 150_000 } });

  it('compares each move with its own currency threshold', () => {
    // ¥20,000 -> ¥160,000 moves ¥140,000: under ¥150,000, so ben's approver (the dollar 1,000 would have sent it up)
    expect(routeApprovers(policy, move('JPY', 20_000, 160_000))).toEqual({ approvers: ['ben.lead@example.com'] });
    // ¥20,000 -> ¥170,001 moves ¥150,001: over
    expect(routeApprovers(policy, move('JPY', 20_000, 170_001))).toEqual({
      approvers: managers,
      why: "a ¥150,001 move is over the managers' threshold of ¥150,000",
    });
    // $200 -> $1,200.01 moves $1,000.01: over $1,000; a proposal without a currency is in dollars
    expect(routeApprovers(policy, move(undefined, 200, 1200.01)).approvers).toEqual(managers);
    expect(routeApprovers(policy, move('USD', 200, 1200)).approvers).toEqual(['ben.lead@example.com']);
  });

  it('sends a move in a currency with no threshold to the managers and says so', () => {
    // €100 -> €101: tiny, but EUR has no threshold, and dollars are never compared with euros
    expect(routeApprovers(policy, move('EUR', 100, 101))).toEqual({
      approvers: managers,
      why: 'APPROVERS_FILE has no manager_above threshold for EUR: a €1.00 move goes to the managers',
    });
    // a pause moves no money: the owner's approvers
    expect(routeApprovers(policy, proposal({ currency: 'EUR', action: { kind: 'pause' } })).approvers).toEqual([
      'ben.lead@example.com',
    ]);
  });

  it('keeps manager_above_usd as the USD threshold, and nothing else', () => {
    const old = approverPolicySchema.parse({ ...base, manager_above_usd: 500 });
    // $100 -> $550 moves $450: ben's; $100 -> $601 moves $501: the managers'
    expect(routeApprovers(old, move('USD', 100, 550)).approvers).toEqual(['ben.lead@example.com']);
    expect(routeApprovers(old, move('USD', 100, 601)).approvers).toEqual(managers);
    // ¥20,000 -> ¥20,400 moves ¥400, which the old file compared with $500 and let through: now the managers'
    expect(routeApprovers(old, move('JPY', 20_000, 20_400)).why).toMatch(/no manager_above threshold for JPY/);
    // with no threshold at all, every change is the owner's, as before
    expect(routeApprovers(approverPolicySchema.parse(base), move('JPY', 20_000, 2_000_000)).approvers).toEqual([
      'ben.lead@example.com',
    ]);
  });

  it('refuses a bad threshold naming the field', () => {
    const problem = (body: unknown) => {
      try {
        readApproverPolicy(writeFile('bad', body));
        return 'accepted';
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(problem({ ...base, manager_above: { JPY: -5 } })).toMatch(/: manager_above\.JPY: /);
    expect(problem({ ...base, manager_above: { JPY: '150000' } })).toMatch(/: manager_above\.JPY: /);
    expect(problem({ ...base, manager_above: { yen: 100 } })).toMatch(/: manager_above\.yen: an ISO 4217 code/);
    expect(problem({ ...base, manager_above_usd: 500, manager_above: { USD: 1000 } })).toMatch(
      /: manager_above\.USD: manager_above_usd is already the USD threshold/,
    );
    expect(problem({ ...base, managers: [], manager_above: { USD: 1000 } })).toMatch(
      /: managers: manager_above needs at least one manager/,
    );
  });

  it('stops the worker at start naming the field', async () => {
    const file = writeFile('startup', { ...base, manager_above: { JPY: 0 } });
    const worker = spawnWorker({ APPROVERS_FILE: file, PAYLOAD_KEYS: TEST_PAYLOAD_KEYS });
    expect(await worker.exited).toBe(78);
    expect(worker.output()).toMatch(/manager_above\.JPY/);
  });
});
