-- The most popular marketing channel, by sessions (app_open events per channel_id), most first
SELECT element_at(attributes, 'channel_id') AS channel_id, count(*) AS sessions
FROM events
WHERE event_type = 'app_open'
GROUP BY 1
ORDER BY sessions DESC, channel_id
