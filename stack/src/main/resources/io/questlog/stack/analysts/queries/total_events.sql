-- Total events
SELECT count(*) AS events FROM events
