-- The engine's stored alerts of day $1 (evaluated_alerts), owner $2 or 'all', in the engine's order.
SELECT alert FROM evaluated_alerts WHERE as_of = $1::DATE AND ($2::VARCHAR = 'all' OR owner = $2) ORDER BY position;
