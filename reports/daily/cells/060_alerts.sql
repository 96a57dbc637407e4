-- Alerts still in play (open: nobody acted yet; acted: a budget change was proposed for it), one per
-- entity (campaign, or ad set where the budget lives there) and rule: an alert the pipeline raises
-- again the next day is the same question, so the newest day's numbers are shown, with the proposal
-- made for any of its days. The proposal's state is the last event budgetChange wrote to the audit
-- log: who was asked (approval_requested details.approvers), until when (details.expiresAt, the
-- exact instant the signed links expire), and who decided; an alert the pipeline could not propose
-- a change for says why (alerts.note).
-- Statuses and events are read as they stand now, like the alerts API.
--
-- Alerts are stored by the day's evaluation (the pipeline, a backfill, or `scaleflow report` by
-- hand). A day with no stored evaluation adds one status row with only campaigns_evaluated = 0
-- (left out of the table), so the sentence says the day was not evaluated instead of "nothing to
-- approve": no alert stored is not the same as no alert.
--
-- This dataset is shared by everyone who reads the page, so it carries approvers and expiry but
-- never a signed link: the email adds "Review and approve" links for its one recipient, from the
-- rows whose approval_state is 'awaiting approval' and whose approvers name them
-- (lib/reports/approval-links.ts, which reads workflow_id, approvers, expires_at, campaign_name, alert).
-- @title Alerts and approvals
-- @requires alerts, decisions, audit_log, daily_campaign_metrics
-- @columns campaign_name:Campaign, alert:Alert, per_day:Per day, current_roas:ROAS, owner:Owner, approval:Approval
WITH day AS (
  SELECT count(*)::INTEGER AS campaigns_evaluated FROM decisions WHERE as_of = $as_of
),
live AS (
  SELECT * FROM alerts
  WHERE as_of <= $as_of AND status IN ('open', 'acted')
    AND ($owner IS NULL OR owner = $owner)
),
latest AS (
  SELECT l.*,
         (SELECT arg_max(w.workflow_id, w.as_of) FROM live w
           WHERE w.entity_type = l.entity_type AND w.entity_id = l.entity_id AND w.type = l.type
             AND w.workflow_id IS NOT NULL) AS proposal_id
  FROM live l
  QUALIFY row_number() OVER (PARTITION BY l.entity_type, l.entity_id, l.type ORDER BY l.as_of DESC) = 1
),
events AS (
  SELECT workflow_id,
         arg_max(event, seq) AS last_event,
         arg_max(details, seq) FILTER (WHERE event = 'approval_requested') AS request,
         arg_max(actor, seq) FILTER (WHERE event = 'decided') AS decided_by,
         arg_max(details ->> 'decision', seq) FILTER (WHERE event = 'decided') AS decision
  FROM audit_log
  WHERE workflow_id IN (SELECT proposal_id FROM latest)
  GROUP BY workflow_id
),
names AS (
  -- The newest name in the last 30 days (bounded, so the view only aggregates those days).
  SELECT campaign_id, arg_max(campaign_name, date) AS name
  FROM daily_campaign_metrics
  WHERE date BETWEEN $yesterday - 29 AND $yesterday AND campaign_id IN (SELECT campaign_id FROM latest)
  GROUP BY campaign_id
),
joined AS (
  SELECT a.*, e.last_event, e.decided_by, e.decision,
         array_to_string(from_json(e.request -> 'approvers', '["VARCHAR"]'), ', ') AS approvers,
         e.request ->> 'expiresAt' AS expires_at,
         CASE
           WHEN a.proposal_id IS NULL THEN 'no proposal yet'
           WHEN e.last_event IS NULL OR e.last_event = 'proposed' THEN 'being proposed'
           WHEN e.last_event = 'approval_requested' THEN 'awaiting approval'
           WHEN e.last_event = 'decided' AND e.decision = 'approve' THEN 'approved'
           WHEN e.last_event = 'decided' THEN 'rejected'
           WHEN e.last_event = 'expired' THEN 'expired unapproved'
           WHEN e.last_event = 'refused' THEN 'approved, refused by the guardrails'
           WHEN e.last_event = 'written' THEN 'approved, written to Meta'
           WHEN e.last_event = 'unchanged' THEN 'approved, already at target'
           WHEN e.last_event = 'dry_run' THEN 'approved, dry run'
           WHEN e.last_event = 'write_failed' THEN 'approved, write failed'
           WHEN e.last_event = 'outcome' THEN 'approved, outcome checked'
           ELSE e.last_event
         END AS approval_state,
         n.name
  FROM latest a
  LEFT JOIN events e ON e.workflow_id = a.proposal_id
  LEFT JOIN names n ON n.campaign_id = a.campaign_id
)
SELECT * FROM (
SELECT campaign_id,
       coalesce(name, campaign_id) AS campaign_name,
       owner,
       type,
       -- In the alert's own words: its recommendation (the alert rule's), as a buyer says it.
       CASE WHEN recommendation LIKE 'increase\_budget\_%' ESCAPE '\'
            THEN 'Scale +' || coalesce(regexp_extract(recommendation, '(\d+(\.\d+)?)', 1), '?') || '%'
            WHEN recommendation = 'pause_campaign' THEN 'Pause'
            ELSE replace(recommendation, '_', ' ') END || CASE WHEN priority = 'high' THEN ' (high)' ELSE '' END AS alert,
       priority,
       current_roas,
       -- A gain per day, or a loss as a negative amount.
       coalesce(potential_margin_gain, -daily_loss)::DECIMAL(18, 2) AS per_day,
       reason,
       note,
       as_of AS raised_on,
       status,
       proposal_id AS workflow_id,
       approval_state,
       approvers,
       expires_at,
       decided_by,
       CASE
         WHEN approval_state = 'awaiting approval'
           THEN 'awaiting ' || approvers || ' until ' || strftime(timezone($tz, CAST(expires_at AS TIMESTAMPTZ)), '%a %b %-d, %H:%M')
         WHEN decided_by IS NOT NULL THEN approval_state || ' by ' || decided_by
         WHEN approval_state = 'no proposal yet' AND note IS NOT NULL THEN 'no proposal: ' || note
         ELSE approval_state
       END AS approval,
       day.campaigns_evaluated
FROM joined CROSS JOIN day
UNION ALL
-- The day nobody evaluated: one status row, last, so the sentence can say so.
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0
FROM day WHERE campaigns_evaluated = 0
)
ORDER BY campaign_id IS NULL,
         CASE approval_state WHEN 'awaiting approval' THEN 0 WHEN 'no proposal yet' THEN 1 ELSE 2 END,
         priority = 'high' DESC,
         abs(per_day) DESC,
         campaign_id,
         type;
