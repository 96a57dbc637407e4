-- The loaded strateg.is rows against their key (date, campaign, ad set), which the loader keeps
-- rather than an index: a load that ran twice would show as more rows than keys.
SELECT count(*) AS rows,
       count(DISTINCT (date, campaign_id, adset_id)) AS keys,
       count(DISTINCT batch_id) AS batches,
       (SELECT count(*) FROM ingest_batches WHERE status = 'loaded') AS loaded_batches
FROM campaign_daily_facts;
