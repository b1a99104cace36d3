-- The most bought sword type
SELECT attributes['sword_type'] AS sword_type, count(*) AS purchases
FROM sword_purchases
WHERE attributes['sword_type'] IS NOT NULL
GROUP BY 1 ORDER BY purchases DESC, sword_type LIMIT 1
