-- The audit log's head as this page was rendered: its last row's seq and keyed hash. This page and
-- its Arrow dataset are a copy of the head outside the warehouse, beside <db>.audit-head: a log
-- whose row at this seq is gone or has another hash was cut or rewritten after the page was made
-- (compare with `scaleflow audit --verify`). One chain for the team, so owner pages show it too.
-- @title Audit log
-- @requires audit_log
-- @columns head_seq:Last row, head_hash:Hash
SELECT max(seq)::INTEGER AS head_seq, arg_max(hash, seq) AS head_hash, count(*)::INTEGER AS row_count
FROM audit_log;
