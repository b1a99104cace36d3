-- Session length distribution (sessions per duration bucket)
SELECT bucket, sessions FROM (
  SELECT CASE
           WHEN duration_s = 0 THEN '0 s (one event)'
           WHEN duration_s < 60 THEN '< 1 min'
           WHEN duration_s < 300 THEN '1-5 min'
           WHEN duration_s < 900 THEN '5-15 min'
           WHEN duration_s < 1800 THEN '15-30 min'
           WHEN duration_s < 3600 THEN '30-60 min'
           ELSE '>= 60 min' END AS bucket,
         min(duration_s) AS lower, count(*) AS sessions
  FROM sessions GROUP BY 1)
ORDER BY lower
