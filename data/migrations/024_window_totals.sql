-- Per-campaign totals of the dashboard's standard windows, kept by the loader with campaign_days
-- (services/warehouse/campaign-days.ts), so an uncached dashboard reads ~22,200 rows at 22,200
-- campaigns, one per campaign and window, instead of rolling up 152,000-666,000 campaign days per
-- request (BENCHMARKS.md "JSON API, uncached: kept window totals"). One row per campaign and file
-- owner: the owner is resolved through campaign_map when read, as campaign_day_metrics does, so a
-- mapping set later applies without a refresh and an owner's filter sums only that owner's days.
CREATE TABLE campaign_window_totals (
  start_date     DATE NOT NULL,
  end_date       DATE NOT NULL,
  campaign_id    VARCHAR NOT NULL,
  file_owner     VARCHAR,
  -- The latest non-NULL name of these days, and its day (to pick the latest across owners).
  campaign_name  VARCHAR,
  name_date      DATE,
  -- The latest day of these (the campaign's owner is the latest day's).
  last_date      DATE NOT NULL,
  spend          DECIMAL(18, 2) NOT NULL,
  revenue        DECIMAL(18, 2) NOT NULL,
  last_day_spend DECIMAL(18, 2) NOT NULL
);

-- The windows the table holds: a window not here is rolled up from campaign_days as before.
CREATE TABLE campaign_window_spans (
  days       INTEGER PRIMARY KEY,
  start_date DATE NOT NULL,
  end_date   DATE NOT NULL
);

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

-- The engine's alerts of a stored day, as its answer orders them (`position`), each the alert as JSON:
-- the alerts endpoint reads them back while decision_runs says they are current, instead of running the
-- engine per uncached answer. `alerts` cannot answer it: it keeps same-day rows a re-run no longer
-- raises (for their status), holds the breakdown suggestions too, and rounds amounts to cents.
CREATE TABLE evaluated_alerts (
  as_of    DATE NOT NULL,
  position INTEGER NOT NULL,
  owner    VARCHAR NOT NULL,
  alert    VARCHAR NOT NULL
);
