-- Whether campaign_window_totals holds the window [$1, $2] (window_totals_kept.sql can answer it), and
-- whether dashboard_campaigns holds it resolved for the stored day $3 (dashboard_kept.sql can).
SELECT EXISTS (SELECT 1 FROM campaign_window_spans WHERE start_date = $1::DATE AND end_date = $2::DATE) AS present,
       EXISTS (SELECT 1 FROM dashboard_campaigns
               WHERE as_of = $3::DATE AND start_date = $1::DATE AND end_date = $2::DATE) AS resolved;
