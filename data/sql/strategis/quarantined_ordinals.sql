SELECT ordinal, reason FROM strategis_checked WHERE reason IS NOT NULL ORDER BY ordinal;
