-- Sessions per device_family
SELECT device_family, count(*) AS sessions FROM sessions GROUP BY device_family ORDER BY sessions DESC, device_family
