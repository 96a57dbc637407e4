#!/usr/bin/env node
// A market scaleflow did not write, for the backtest's market protocol (docs/backtest.md): plain
// Node, no import from scaleflow. Each campaign answers spend with a saturating Hill curve,
// revenue = vmax * a^n / (half^n + a^n), on its adstock a (spend carried over from earlier days at
// a decay of its own, normalised so a steady spend s has a = s), times its own weekly rhythm and
// gamma-like noise. Meta delivers 88-104% of a budget. Revenue is first reported at 70-95% and
// restated towards final over five days. Some campaigns launch during the period.
//   node test/markets/hill-market.mjs [--seed N]   (--seed replaces the seed `init` sends)
import { createInterface } from 'node:readline';

const args = process.argv.slice(2);
const seedFlag = args.includes('--seed') ? Number(args[args.indexOf('--seed') + 1]) : undefined;

const HISTORY_DAYS = 28;
const PULL_DAYS = 7;
const START = '2025-09-01';
const OWNERS = ['kim', 'lee', 'ola', 'raj'];
const VERTICALS = ['Legal', 'Travel', 'Fitness', 'Pets'];
const FINAL_AFTER = 5;
const OPEN = [1, 1, 0.6, 0.3, 0.1];

/** mulberry32 on a hash of the keys: the same (seed, keys) draw the same number. */
function draw(...keys) {
  let h = 2166136261;
  for (const k of keys) {
    h ^= k + 0x9e3779b9 + (h << 6) + (h >>> 2);
    h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
  }
  let t = (h + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const gauss = (...keys) =>
  Math.sqrt(-2 * Math.log(draw(...keys, 1) || 1e-12)) * Math.cos(2 * Math.PI * draw(...keys, 2));

const dollars = (cents) =>
  `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
const cents = (text) => Math.round(Number(text) * 100);
const dateOf = (day) => new Date(Date.parse(`${START}T00:00:00Z`) + day * 86_400_000).toISOString().slice(0, 10);

let market = null;

function init({ seed: sent, days, campaigns }) {
  const seed = seedFlag ?? sent;
  const specs = [];
  for (let i = 0; i < campaigns; i++) {
    const half = 120 * Math.exp(0.7 * gauss(seed, 1, i)); // spend at which the curve gives half its ceiling
    const ceilingRoas = 1.4 + 2.2 * draw(seed, 2, i); // ceiling over the half-saturation spend
    const launches = draw(seed, 3, i) < 0.2;
    const budget = half * (launches ? 0.4 : 0.3 + 1.4 * draw(seed, 4, i));
    specs.push({
      i,
      id: `hill${seed}x${String(i).padStart(3, '0')}`,
      owner: OWNERS[i % OWNERS.length],
      vertical: VERTICALS[Math.floor(draw(seed, 5, i) * VERTICALS.length)],
      meta: String(7_700_000_000 + seed * 10_000 + i),
      account: `act_77${i % 3}`,
      half,
      vmax: half * ceilingRoas,
      n: 1 + 1.5 * draw(seed, 6, i),
      decay: 0.15 + 0.5 * draw(seed, 7, i),
      noise: 0.06 + 0.2 * draw(seed, 8, i),
      rhythm: Array.from({ length: 7 }, (_, w) => 1 + 0.12 * (draw(seed, 9, i, w) - 0.5)),
      launchDay: launches ? 1 + Math.floor(draw(seed, 10, i) * Math.max(1, days - 5)) : -HISTORY_DAYS,
      budget: Math.max(1500, Math.round(budget * 100)),
    });
  }
  market = {
    seed,
    days,
    specs,
    state: specs.map(() => ({ budget: null, active: true, adstock: 0 })),
    book: new Map(),
    next: -HISTORY_DAYS,
  };
  for (let day = -HISTORY_DAYS; day < 0; day++) deliver(day);
  return {
    type: 'setup',
    start: START,
    accounts: [...new Set(specs.map((s) => s.account))].map((account_id) => ({
      account_id,
      currency: 'USD',
      time_zone: 'America/Chicago',
    })),
    campaigns: specs.filter((s) => s.launchDay <= 0).map(campaignOf),
    history_csv: report(0, -HISTORY_DAYS),
  };
}

function campaignOf(s) {
  return {
    campaign_id: s.id,
    campaign_name: `${s.vertical}_FB_${s.owner.toUpperCase()}_${s.i}`,
    owner: s.owner,
    category: s.vertical,
    meta_campaign_id: s.meta,
    account_id: s.account,
    daily_budget: dollars(s.budget),
    status: 'ACTIVE',
  };
}

function deliver(day) {
  const { seed, specs, state, book } = market;
  for (const s of specs) {
    const st = state[s.i];
    const live = st.active && day >= s.launchDay;
    const spend = live ? Math.round((st.budget ?? s.budget) * (0.88 + 0.16 * draw(seed, 11, s.i, day + 1000))) : 0;
    st.adstock = st.adstock * s.decay + (spend / 100) * (1 - s.decay);
    const a = Math.max(st.adstock, 1e-9);
    const expected = (s.vmax * a ** s.n) / (s.half ** s.n + a ** s.n);
    const weekday = new Date(`${dateOf(day)}T12:00:00Z`).getUTCDay();
    const noise = Math.exp(s.noise * gauss(seed, 12, s.i, day + 1000) - (s.noise * s.noise) / 2);
    // Revenue follows adstock, so a paused campaign still earns a little from what it spent before.
    const revenue = Math.round(expected * s.rhythm[weekday] * noise * 100);
    book.set(`${s.i}:${day}`, { spend, revenue });
  }
  market.next = day + 1;
}

function report(asOfDay, from) {
  const lines = [
    'Date,Campaign ID,Campaign Name,Buyer,Vertical,Cost,Revenue,Ad Account ID,Network Campaign ID,is_reconciled',
  ];
  for (let day = Math.max(from, -HISTORY_DAYS); day < asOfDay; day++) {
    const lag = asOfDay - day;
    for (const s of market.specs) {
      const o = market.book.get(`${s.i}:${day}`);
      if (!o || (o.spend === 0 && o.revenue === 0)) continue;
      const gap = 0.05 + 0.25 * draw(market.seed, 13, s.i, day + 1000);
      const shown = lag >= FINAL_AFTER ? o.revenue : Math.round(o.revenue * (1 - gap * OPEN[lag]));
      const c = campaignOf(s);
      lines.push(
        [
          dateOf(day),
          s.id,
          c.campaign_name,
          s.owner,
          s.vertical,
          dollars(o.spend),
          dollars(shown),
          s.account,
          s.meta,
          lag >= FINAL_AFTER,
        ].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function day({ date, budgets }) {
  const d = market.next;
  if (date !== dateOf(d)) throw new Error(`expected ${dateOf(d)}, got ${date}`);
  const byMeta = new Map(market.specs.map((s) => [s.meta, s]));
  for (const b of budgets) {
    const s = byMeta.get(b.meta_campaign_id);
    if (!s) throw new Error(`unknown campaign ${b.meta_campaign_id}`);
    market.state[s.i].budget = cents(b.daily_budget);
    market.state[s.i].active = b.status === 'ACTIVE';
  }
  deliver(d);
  return {
    type: 'result',
    date,
    report_csv: report(d + 1, d + 1 - PULL_DAYS),
    meta: market.specs
      .filter((s) => s.launchDay <= d)
      .map((s) => ({
        meta_campaign_id: s.meta,
        status: market.state[s.i].active ? 'ACTIVE' : 'PAUSED',
        daily_budget: dollars(market.state[s.i].budget ?? s.budget),
        spend: dollars(market.book.get(`${s.i}:${d}`).spend),
      })),
    launched: market.specs.filter((s) => s.launchDay === d + 1).map(campaignOf),
  };
}

function truth() {
  let margin = 0;
  for (let d = 0; d < Math.min(market.days, market.next); d++)
    for (const s of market.specs) {
      const o = market.book.get(`${s.i}:${d}`);
      margin += o.revenue - o.spend;
    }
  return { type: 'truth', margin: dollars(margin) };
}

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line.trim()) continue;
  const request = JSON.parse(line);
  const reply = request.type === 'init' ? init(request) : request.type === 'day' ? day(request) : truth();
  process.stdout.write(`${JSON.stringify(reply)}\n`);
  if (request.type === 'end') break;
}
