-- The dashboard's campaign part in one row, the last statement of dashboard_kept.sql and of
-- dashboard_campaigns.sql (services/analytics/dashboard-query.ts appends it to either): `scoped` holds
-- the scope's campaigns, `owners` each owner's sums, scaling count and top_campaigns, `best` the best $6
-- campaigns with their recommendation. The top list is in rank order: margin, then campaign_id || '/' ||
-- campaign_id as buildDashboard's string keys tie (dashboard_campaigns.top_rank is that same order).
SELECT (SELECT coalesce(sum(spend), 0)::VARCHAR FROM scoped) AS spend,
       (SELECT coalesce(sum(revenue), 0)::VARCHAR FROM scoped) AS revenue,
       (SELECT count(*) FILTER (WHERE spend > 0) FROM scoped)::INTEGER AS active_campaigns,
       (SELECT count(*) FILTER (WHERE margin > 0) FROM scoped)::INTEGER AS positive_margin_campaigns,
       (SELECT list({'owner': owner, 'spend': spend::VARCHAR, 'margin': margin::VARCHAR,
                     'top_campaigns': top_campaigns,
                     'scaling_opportunities': scaling_opportunities::INTEGER}
                    ORDER BY margin DESC, owner)
        FROM owners) AS by_owner,
       (SELECT list({'campaign_id': campaign_id, 'campaign_name': campaign_name, 'owner': owner,
                     'spend': spend::VARCHAR, 'margin': margin::VARCHAR, 'roas': roas,
                     'recommendation': recommendation}
                    ORDER BY margin DESC, campaign_id || '/' || campaign_id)
        FROM best) AS top;
