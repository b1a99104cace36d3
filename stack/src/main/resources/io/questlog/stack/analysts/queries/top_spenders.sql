-- Top spenders: sum of the price attribute of sword purchases per user
SELECT user_id, count(*) AS purchases, sum(TRY_CAST(attributes['price'] AS double)) AS spent
FROM sword_purchases
GROUP BY user_id ORDER BY spent DESC NULLS LAST, user_id LIMIT 10
