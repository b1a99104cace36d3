-- Sessions per browser_family
SELECT browser_family, count(*) AS sessions FROM sessions GROUP BY browser_family ORDER BY sessions DESC, browser_family
