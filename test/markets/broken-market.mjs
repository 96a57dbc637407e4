#!/usr/bin/env node
// A market that breaks the protocol on purpose, for the backtest's failure tests: one campaign,
// valid replies until the request named by --on (init | day), which it answers as --break says:
//   json   a line that is not JSON
//   field  a reply without its report_csv (day) or campaigns (init)
//   silent no reply at all (the backtest's timeout)
//   exit   exits with code 3 after writing to stderr
import { createInterface } from 'node:readline';

const args = process.argv.slice(2);
const opt = (name) => args[args.indexOf(`--${name}`) + 1];
const how = opt('break');
const on = opt('on');

const campaign = {
  campaign_id: 'brk1',
  campaign_name: 'Broken_FB_X_1',
  owner: 'x',
  category: 'Broken',
  meta_campaign_id: '990001',
  account_id: 'act_99',
  daily_budget: '100.00',
  status: 'ACTIVE',
};
const header = 'date,campaign_id,campaign_name,owner,category,spend,revenue,account_id,meta_campaign_id\n';
const row = (date) => `${date},brk1,Broken_FB_X_1,x,Broken,100.00,120.00,act_99,990001\n`;

for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line);
  let reply;
  if (request.type === 'init')
    reply = {
      type: 'setup',
      start: '2025-06-02',
      accounts: [],
      campaigns: [campaign],
      history_csv: header + row('2025-06-01'),
    };
  else if (request.type === 'day')
    reply = { type: 'result', date: request.date, report_csv: header + row(request.date), meta: [], launched: [] };
  else reply = { type: 'truth', margin: '20.00' };
  if (request.type === on) {
    if (how === 'json') reply = '{"type": "result", oops';
    if (how === 'field') delete reply[on === 'day' ? 'report_csv' : 'campaigns'];
    if (how === 'silent') continue;
    if (how === 'exit') {
      process.stderr.write('broken-market: giving up\n');
      process.exit(3);
    }
  }
  process.stdout.write(`${typeof reply === 'string' ? reply : JSON.stringify(reply)}\n`);
}
