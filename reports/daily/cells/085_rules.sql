-- The user-defined rules on as_of: per rule, how often it was evaluated, the campaigns it matched,
-- what it proposed (budgetChange awaiting approval, or a proposal found under its business key),
-- what it did unattended (owner-allowed changes, messages, PAUSED copies), what it held back
-- (daily limit, cooldown, conflicts, dry run, nothing to do) and its errors, from the execution
-- history (migration 010). An owner's report counts only the actions on their own campaigns.
-- @title Automation rules
-- @requires rule_executions, rule_actions
-- @columns rule_id:Rule, evaluations:Runs, campaigns:Campaigns matched, proposed:Proposed, taken:Done unattended, held:Held back, errors:Errors
WITH acts AS (
  SELECT rule_id,
         count(DISTINCT campaign_id) AS campaigns,
         count(*) FILTER (WHERE status IN ('proposed', 'existing')) AS proposed,
         count(*) FILTER (WHERE status IN ('unattended', 'sent', 'copied')) AS taken,
         count(*) FILTER (WHERE status IN ('limited', 'cooling_down', 'overruled', 'skipped', 'dry_run')) AS held
  FROM rule_actions
  WHERE as_of = $as_of AND ($owner IS NULL OR owner = $owner)
  GROUP BY rule_id
),
runs AS (
  SELECT rule_id, count(*) AS evaluations, sum(json_array_length(errors)) AS errors
  FROM rule_executions
  WHERE as_of = $as_of
  GROUP BY rule_id
)
SELECT r.rule_id,
       r.evaluations::INTEGER AS evaluations,
       coalesce(a.campaigns, 0)::INTEGER AS campaigns,
       coalesce(a.proposed, 0)::INTEGER AS proposed,
       coalesce(a.taken, 0)::INTEGER AS taken,
       coalesce(a.held, 0)::INTEGER AS held,
       r.errors::INTEGER AS errors
FROM runs r
LEFT JOIN acts a USING (rule_id)
WHERE $owner IS NULL OR a.rule_id IS NOT NULL
ORDER BY r.errors DESC, coalesce(a.proposed, 0) + coalesce(a.taken, 0) DESC, r.rule_id;
