-- Guild joins per host
SELECT host, count(*) AS guild_joins FROM guild_joins GROUP BY host ORDER BY guild_joins DESC, host
