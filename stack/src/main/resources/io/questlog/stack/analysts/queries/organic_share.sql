-- Weekly share of new users acquired through the organic channel, per country, over the past 4 weeks
-- A user is new in the UTC week (Monday) of their first first_seen event. Every week from the first to the last
-- with a new user anywhere is listed for every country, missing weeks counting zero; the share is null when the
-- 4 weeks hold no new user.
WITH first_seen AS (
  SELECT user_id, min(event_ts) AS first_ts,
         min_by(element_at(attributes, 'country'), event_ts) AS country,
         min_by(element_at(attributes, 'channel'), event_ts) AS channel
  FROM events WHERE event_type = 'first_seen'
  GROUP BY user_id),
weekly AS (
  SELECT country, cast(date_trunc('week', first_ts) AS date) AS week,
         count(*) AS new_users, count_if(channel = 'organic') AS organic_users
  FROM first_seen WHERE country IS NOT NULL GROUP BY 1, 2),
weeks AS (
  SELECT week
  FROM (SELECT min(week) AS lo, max(week) AS hi FROM weekly)
  CROSS JOIN UNNEST(sequence(lo, hi, INTERVAL '7' DAY)) AS t(week)),
grid AS (
  SELECT c.country, w.week, coalesce(k.new_users, 0) AS new_users, coalesce(k.organic_users, 0) AS organic_users
  FROM (SELECT DISTINCT country FROM weekly) c
  CROSS JOIN weeks w
  LEFT JOIN weekly k ON k.country = c.country AND k.week = w.week)
SELECT country, week, new_users, organic_users,
       sum(new_users) OVER w4 AS new_users_4w,
       sum(organic_users) OVER w4 AS organic_users_4w,
       round(cast(sum(organic_users) OVER w4 AS double) / nullif(sum(new_users) OVER w4, 0), 4) AS organic_share
FROM grid
WINDOW w4 AS (PARTITION BY country ORDER BY week ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)
ORDER BY country, week
