-- Sessions per os_family
SELECT os_family, count(*) AS sessions FROM sessions GROUP BY os_family ORDER BY sessions DESC, os_family
