-- right_vs_control (docs/decisions.md "Outcome checks"): the change against matched unchanged
-- entities over the same days, difference in differences of margin per day. NULL verdict and DiD
-- when no control matched; checks made before this migration have no control count either.
ALTER TABLE outcome_checks ADD COLUMN control_count INTEGER;
ALTER TABLE outcome_checks ADD COLUMN did_margin_per_day DECIMAL(18, 2);
ALTER TABLE outcome_checks ADD COLUMN right_vs_control BOOLEAN;
