-- Top marketing campaigns by revenue: purchases attributed to the session they happened in (as purchase_attribution)
WITH marks AS (
  SELECT user_id, event_id, event_type, event_ts, attributes,
         CASE event_type WHEN 'app_open' THEN 0 WHEN 'purchase' THEN 1 ELSE 2 END AS ord
  FROM events WHERE event_type IN ('app_open', 'purchase', 'app_close')),
numbered AS (
  SELECT *, count_if(event_type = 'app_open') OVER (PARTITION BY user_id ORDER BY event_ts, ord, event_id
                                                     ROWS UNBOUNDED PRECEDING) AS session_no
  FROM marks),
placed AS (
  SELECT *,
         first_value(attributes) OVER s AS open_attributes,
         count_if(event_type = 'app_close') OVER s AS closes_before
  FROM numbered
  WINDOW s AS (PARTITION BY user_id, session_no ORDER BY event_ts, ord, event_id ROWS UNBOUNDED PRECEDING))
SELECT element_at(open_attributes, 'campaign_id') AS campaign_id,
       sum(try_cast(element_at(attributes, 'revenue') AS decimal(12, 2))) AS revenue,
       count(*) AS purchases
FROM placed
WHERE event_type = 'purchase' AND session_no > 0 AND closes_before = 0
GROUP BY 1
ORDER BY revenue DESC, campaign_id
