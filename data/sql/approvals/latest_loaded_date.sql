SELECT max(date)::VARCHAR AS d FROM daily_campaign_metrics;
