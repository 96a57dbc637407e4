-- Per-owner threshold overrides that an approver accepted from a calibration proposal (issue 20
-- item 4). Laid over THRESHOLDS_FILE's owner overrides at every evaluation, so an approved change
-- takes effect on the owner's next decisions without editing or redeploying the file.
CREATE TABLE owner_thresholds (
  owner       VARCHAR NOT NULL,     -- lower-cased, as thresholds match owners
  field       VARCHAR NOT NULL,     -- a Thresholds field, e.g. scale_roas
  value       DOUBLE NOT NULL,
  previous    DOUBLE,               -- what was in force when it was approved
  workflow_id VARCHAR NOT NULL,     -- the thresholdChange run that approved it
  approved_by VARCHAR NOT NULL,
  approved_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (owner, field)
);
