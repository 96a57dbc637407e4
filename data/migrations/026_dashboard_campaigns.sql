-- Each campaign's dashboard row of a standard window, resolved and ranked when the day's decisions are
-- stored (services/decisions/evaluate-day.ts, same transaction): the owner through campaign_map, the
-- stored recommendation and budget-raise flag beside the totals of campaign_window_totals, and the two
-- orders the answer ranks by. An uncached dashboard then filters and sums these rows
-- (data/sql/metrics/dashboard_kept.sql) instead of regrouping the totals, joining decisions and alerts
-- and ranking 22,200 campaigns per request (BENCHMARKS.md "JSON API, uncached: ... (dash4)"). Read only
-- while decision_runs says the day's decisions are current: their fingerprint covers the campaign days,
-- the map, thresholds and rules, so rows resolved at store time are still right. One row per window,
-- scope and campaign: `scope` NULL for every owner, else one resolved owner's own days of the campaign
-- (what window_totals_kept.sql sums for an owner filter).
CREATE TABLE dashboard_campaigns (
  as_of          DATE NOT NULL,
  start_date     DATE NOT NULL,
  end_date       DATE NOT NULL,
  scope          VARCHAR,
  campaign_id    VARCHAR NOT NULL,
  campaign_name  VARCHAR,
  owner          VARCHAR NOT NULL,
  spend          DECIMAL(18, 2) NOT NULL,
  revenue        DECIMAL(18, 2) NOT NULL,
  margin         DECIMAL(18, 2) NOT NULL,
  roas           DOUBLE,
  last_day_spend DECIMAL(18, 2) NOT NULL,
  scaling        BOOLEAN NOT NULL,
  recommendation VARCHAR NOT NULL,
  -- Positions in the scope by margin, ties as buildDashboard breaks them: the top performers' order,
  -- and the order of an owner's best campaigns. Any filter's subset keeps the same relative order.
  top_rank       INTEGER NOT NULL,
  owner_rank     INTEGER NOT NULL
);

-- Each campaign's launch: its first day with spend > 0 in all of campaign_daily_facts, kept by the loader
-- for the campaigns a load touches (services/warehouse/campaign-days.ts), so launches and the engine's
-- launch dates read 22,200 rows instead of grouping the whole history per request. A campaign that has
-- never spent has no row. As of a day D, a campaign launched on launch_date when that is <= D: spend is
-- never negative, so no later row moves an earlier first spend day.
CREATE TABLE campaign_launches (
  campaign_id VARCHAR PRIMARY KEY,
  launch_date DATE NOT NULL
);
INSERT INTO campaign_launches
SELECT campaign_id, min(date) FROM campaign_daily_facts WHERE spend > 0 GROUP BY campaign_id;
