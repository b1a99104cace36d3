-- Share of sessions with at least one sword purchase
SELECT count(*) AS sessions, count_if(purchase_count > 0) AS with_purchase,
       round(100.0 * count_if(purchase_count > 0) / nullif(count(*), 0), 2) AS pct_with_purchase
FROM sessions
