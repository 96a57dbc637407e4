-- Rebuilds campaign_window_totals (migration 024) from campaign_days for the dashboard's standard
-- windows (yesterday, 7d, 30d) ending at the latest loaded day. Whole, not keyed: a new day moves
-- every window, and the 30 days are ~666,000 campaign days at 22,200 campaigns, rolled up once per load.
DELETE FROM campaign_window_spans;
INSERT INTO campaign_window_spans
SELECT d.days, e.end_date - (d.days - 1), e.end_date
FROM (SELECT max(date) AS end_date FROM campaign_days) e, (VALUES (1), (7), (30)) d(days)
WHERE e.end_date IS NOT NULL;
DELETE FROM campaign_window_totals;
INSERT INTO campaign_window_totals
SELECT s.start_date, s.end_date, c.campaign_id, c.file_owner,
       -- One row per campaign day: the latest named day's name, and the days that date it.
       arg_max(c.campaign_name, c.date), max(c.date) FILTER (WHERE c.campaign_name IS NOT NULL), max(c.date),
       sum(c.spend), sum(c.revenue), coalesce(sum(c.spend) FILTER (WHERE c.date = s.end_date), 0)
FROM campaign_window_spans s
JOIN campaign_days c ON c.date BETWEEN s.start_date AND s.end_date
GROUP BY s.start_date, s.end_date, c.campaign_id, c.file_owner
ORDER BY s.end_date, s.start_date, c.campaign_id;
