import { describe, expect, it } from 'vitest';
import { buildTable, columnsOf, fromIpc, rowsOf, toIpc } from '../../lib/reports/arrow';
import { parseCellHeader } from '../../lib/reports/cell';
import { deliverAll } from '../../lib/reports/delivery';
import { formatChange, formatMoney, formatValue } from '../../lib/reports/format';
import { ownerRecipientsSchema, planDeliveries, teamRecipientsSchema } from '../../lib/reports/recipients';
import { compileTemplate } from '../../lib/reports/templating';
import { parseConfig } from '../../lib/config';

describe('cell results as Arrow tables', () => {
  const info = [
    { name: 'campaign', kind: 'string' as const },
    { name: 'day', kind: 'date' as const },
    { name: 'spend', kind: 'decimal' as const, scale: 2 },
    { name: 'roas', kind: 'float' as const },
    { name: 'clicks', kind: 'integer' as const },
    { name: 'mature', kind: 'boolean' as const },
  ];
  const table = buildTable(
    info,
    [
      ['a', 'b'],
      ['2025-10-12', null],
      ['0.10', '0.20'],
      [139.2, null],
      ['12', 3],
      [true, false],
    ],
    { 'scaleflow.cell': '010_x' },
  );

  it('keeps explicit types, money as exact decimal strings, through an IPC round trip', () => {
    const back = fromIpc(toIpc(table));
    expect(back.schema.fields.map((f) => String(f.type))).toEqual([
      'Utf8',
      'Utf8',
      'Utf8',
      'Float64',
      'Float64',
      'Bool',
    ]);
    expect(columnsOf(back)).toEqual(info);
    expect(rowsOf(back)).toEqual([
      { campaign: 'a', day: '2025-10-12', spend: '0.10', roas: 139.2, clicks: 12, mature: true },
      { campaign: 'b', day: null, spend: '0.20', roas: null, clicks: 3, mature: false },
    ]);
    expect(Object.fromEntries(back.schema.metadata)).toEqual({ 'scaleflow.cell': '010_x' });
  });

  it('sums money in cents: $0.10 + $0.20 prints $0.30, where floats give 0.30000000000000004', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    const sentence = compileTemplate('{{money (sum rows "spend")}}').html({ rows: rowsOf(table) });
    expect(sentence).toBe('$0.30');
  });

  it('refuses an integer that a double cannot hold exactly', () => {
    expect(() => buildTable([{ name: 'n', kind: 'integer' }], [['9007199254740993']])).toThrow(/not a safe integer/);
  });
});

describe('formatting', () => {
  it('prints money from exact strings with grouping and sign', () => {
    expect(formatMoney('1234567.5')).toBe('$1,234,567.50');
    expect(formatMoney('-0.2')).toBe('-$0.20');
    expect(formatMoney('1499.50', { whole: true })).toBe('$1,500');
    expect(formatMoney(null)).toBe('n/a');
  });

  it('shows a change as an arrow with percent, or points for rates', () => {
    expect(formatChange('up', 12.34)).toBe('▲ 12.3%');
    expect(formatChange('down', -8.2, 'pct')).toBe('▼ 8.2 pts');
    expect(formatChange('up', null)).toBe('▲ new');
    expect(formatChange('flat', 0)).toBe('▶ 0.0%');
  });

  it('formats table values by kind and by the unit a column name implies', () => {
    expect(formatValue('decimal', 'margin', '-30.00')).toBe('-$30.00');
    expect(formatValue('float', 'roas', 139.2)).toBe('139.2%');
    expect(formatValue('date', 'launch_date', '2025-10-08')).toBe('Wed, Oct 8');
    expect(formatValue('integer', 'clicks', 12345)).toBe('12,345');
  });
});

describe('templates', () => {
  it('escapes values in HTML and leaves them alone in plain text', () => {
    const t = compileTemplate('{{name}} made {{money margin}}');
    const context = { name: 'Solar<b>Promo</b> & "Co"', margin: '30.00' };
    expect(t.html(context)).toBe('Solar&lt;b&gt;Promo&lt;/b&gt; &amp; &quot;Co&quot; made $30.00');
    expect(t.text(context)).toBe('Solar<b>Promo</b> & "Co" made $30.00');
  });
});

describe('cell headers', () => {
  it('reads -- @key value lines', () => {
    const header = parseCellHeader(
      '030_top',
      '-- why\n-- @title Top performers\n-- @requires daily_campaign_metrics, alerts\n-- @columns name:Campaign, spend\n-- @limit 5\nSELECT 1',
    );
    expect(header).toEqual({
      title: 'Top performers',
      requires: ['daily_campaign_metrics', 'alerts'],
      display: 'table',
      columns: [
        { name: 'name', label: 'Campaign' },
        { name: 'spend', label: 'spend' },
      ],
      limit: 5,
      scope: 'both',
    });
  });

  it('names the cell and the key when a header is wrong', () => {
    expect(() => parseCellHeader('040_x', '-- @display pie\nSELECT 1')).toThrow(/report cell 040_x: header @title/);
    expect(() => parseCellHeader('040_x', '-- @title X\n-- @display pie\nSELECT 1')).toThrow(
      /report cell 040_x: header @display/,
    );
  });
});

describe('recipients from the environment', () => {
  it('reads owner=email pairs (an owner may repeat) and a team list', () => {
    const config = parseConfig({
      REPORT_RECIPIENTS: 'Ben=ben@example.com, tj=tj@example.com,ben=lead@example.com',
      REPORT_TEAM_RECIPIENTS: 'boss@example.com,ops@example.com',
    });
    expect(planDeliveries(config.REPORT_RECIPIENTS, config.REPORT_TEAM_RECIPIENTS)).toEqual([
      { to: 'boss@example.com' },
      { to: 'ops@example.com' },
      { owner: 'ben', to: 'ben@example.com' },
      { owner: 'ben', to: 'lead@example.com' },
      { owner: 'tj', to: 'tj@example.com' },
    ]);
    expect(parseConfig({}).REPORT_RECIPIENTS).toEqual([]);
  });

  it('names the malformed entry', () => {
    expect(ownerRecipientsSchema.safeParse('ben:ben@example.com').error?.issues[0]?.message).toContain(
      '"ben:ben@example.com" is not owner=email',
    );
    expect(teamRecipientsSchema.safeParse('boss@example.com,nobody').error?.issues[0]?.message).toContain(
      '"nobody" is not an email address',
    );
    expect(() => parseConfig({ REPORT_RECIPIENTS: 'ben=not-an-email' })).toThrow(
      /REPORT_RECIPIENTS="ben=not-an-email"/,
    );
  });
});

describe('deliverAll', () => {
  it('sends to everyone and reports each failure without stopping the rest', async () => {
    const tried: string[] = [];
    const outcome = await deliverAll(
      '2025-10-13',
      [{ to: 'a@example.com' }, { owner: 'ben', to: 'b@example.com' }, { to: 'c@example.com' }],
      async (input) => {
        tried.push(input.to);
        if (input.to === 'b@example.com') throw new Error('550 mailbox unavailable');
        return input;
      },
    );
    expect(tried).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
    expect(outcome.sent).toEqual([{ to: 'a@example.com' }, { to: 'c@example.com' }]);
    expect(outcome.failed).toEqual([
      { delivery: { owner: 'ben', to: 'b@example.com' }, error: '550 mailbox unavailable' },
    ]);
  });
});
