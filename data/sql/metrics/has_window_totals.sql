-- Whether campaign_window_totals holds the window [$1, $2] (window_totals_kept.sql can answer it).
SELECT EXISTS (SELECT 1 FROM campaign_window_spans WHERE start_date = $1::DATE AND end_date = $2::DATE) AS present;
