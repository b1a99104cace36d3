-- Top marketing campaigns by revenue: purchases attributed to the session they happened in (purchase_attribution)
SELECT campaign_id, sum(revenue) AS revenue, count(*) AS purchases
FROM {{purchase_attribution}}
WHERE campaign_id IS NOT NULL
GROUP BY 1
ORDER BY revenue DESC, campaign_id
