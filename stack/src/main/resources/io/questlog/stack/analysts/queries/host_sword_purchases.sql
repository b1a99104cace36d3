-- Sword purchases per host
SELECT host, count(*) AS sword_purchases FROM sword_purchases GROUP BY host ORDER BY sword_purchases DESC, host
