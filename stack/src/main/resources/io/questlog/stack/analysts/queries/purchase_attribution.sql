-- Purchase attribution: each purchase with the session it happened in (app_open to app_close) and its campaign and channel
-- A purchase outside any session (after an app_close, before the next app_open) has no session_id, campaign_id or
-- channel_id. At equal times an app_open comes before a purchase and a purchase before an app_close.
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
SELECT event_id AS purchase_id, user_id, event_ts AS purchase_ts,
       try_cast(element_at(attributes, 'revenue') AS decimal(12, 2)) AS revenue,
       if(session_no > 0 AND closes_before = 0, user_id || '#' || cast(session_no AS varchar)) AS session_id,
       if(session_no > 0 AND closes_before = 0, element_at(open_attributes, 'campaign_id')) AS campaign_id,
       if(session_no > 0 AND closes_before = 0, element_at(open_attributes, 'channel_id')) AS channel_id
FROM placed
WHERE event_type = 'purchase'
ORDER BY purchase_ts, purchase_id
