-- Events per minute by type (event time, UTC), the last 60 minutes that have events
SELECT minute, event_type, events FROM (
  SELECT date_trunc('minute', event_ts) AS minute, event_type, count(*) AS events,
         dense_rank() OVER (ORDER BY date_trunc('minute', event_ts) DESC) AS recent
  FROM events GROUP BY 1, 2)
WHERE recent <= 60 ORDER BY minute, event_type
