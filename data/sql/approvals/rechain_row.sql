-- `scaleflow audit --rechain` only: $1 seq, $2 prev_hash, $3 hash under AUDIT_SECRET.
UPDATE audit_log SET prev_hash = $2, hash = $3 WHERE seq = $1;
