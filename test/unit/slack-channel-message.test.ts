import { describe, expect, it } from 'vitest';
import { SUMMARY_LIST_LIMIT, summaryMessage } from '../../lib/slack/channel-message';
import { approvalText } from '../../lib/approvals/slack-message';

const metrics = (spend: string, revenue: string, active: number) =>
  ['spend', 'revenue', 'margin', 'roas'].map((metric) => ({
    metric,
    // margin and ROAS as 010_summary computes them from the two sums.
    yesterday:
      metric === 'spend'
        ? spend
        : metric === 'revenue'
          ? revenue
          : metric === 'margin'
            ? (Number(revenue) - Number(spend)).toFixed(2)
            : ((Number(revenue) / Number(spend)) * 100).toFixed(1),
    active_campaigns: active,
  }));
const awaiting = (i: number) => ({
  campaign_id: `C${i}`,
  campaign_name: `Camp_${i}`,
  owner: 'ben',
  alert: 'Scale +40%',
  approval_state: 'awaiting approval',
  approval: 'awaiting lead@example.com until Tue Oct 14, 06:00',
});

describe('the morning summary message (lib/slack/channel-message.ts)', () => {
  it('lists the first proposals awaiting approval and counts the rest', () => {
    const alerts = Array.from({ length: SUMMARY_LIST_LIMIT + 3 }, (_, i) => awaiting(i + 1));
    const m = summaryMessage('2025-10-13', metrics('1234.50', '1500.00', 7), alerts);
    expect(m.key).toBe('summary/2025-10-13');
    const text = m.blocks.map((b) => b.text.text).join('\n');
    // margin 1500.00 - 1234.50 = 265.50; ROAS 1500 / 1234.5 = 121.5%.
    expect(text).toContain('7 campaigns: spend $1,234.50, revenue $1,500.00, margin $265.50, ROAS 121.5%.');
    expect(text).toContain(`Alerts: ${SUMMARY_LIST_LIMIT + 3} in play, ${SUMMARY_LIST_LIMIT + 3} awaiting approval.`);
    expect(text).toContain(`- Camp_${SUMMARY_LIST_LIMIT} (ben)`);
    expect(text).not.toContain(`- Camp_${SUMMARY_LIST_LIMIT + 1} (ben)`);
    expect(text).toContain('- and 3 more');
    expect(m.blocks.every((b) => b.type === 'section' && b.text.type === 'plain_text')).toBe(true);
  });

  it('says so when nothing spent and nothing awaits approval', () => {
    const text = summaryMessage('2025-10-13', metrics('0.00', '0.00', 0), [])
      .blocks.map((b) => b.text.text)
      .join('\n');
    expect(text).toContain('No campaign spent anything on');
    expect(text).toContain('Alerts: 0 in play, 0 awaiting approval.');
    expect(text).toContain('Nothing awaits approval.');
  });
});

describe('an approval direct message', () => {
  it("escapes its notification text, so a campaign named '<!channel>' mentions nobody", () => {
    const view = {
      workflowId: 'budget-change/x/2025-10-13/manual',
      heading: 'Raise <!channel> & <https://evil.example|click me>',
      action: 'daily budget $200.00 -> $280.00',
      reason: '',
      evidence: [],
      expiresAt: '',
    };
    expect(approvalText(view)).toBe(
      'Raise &lt;!channel&gt; &amp; &lt;https://evil.example|click me&gt;: daily budget $200.00 -&gt; $280.00',
    );
  });
});
