DELETE FROM rule_actions WHERE evaluation_id = $1;
