-- Average session length (seconds) and events per session
SELECT count(*) AS sessions, round(avg(duration_s), 1) AS avg_duration_s,
       round(avg(event_count), 2) AS avg_events_per_session
FROM sessions
