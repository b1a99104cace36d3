-- One row per closed 30-minute-inactivity session; dt is the UTC date of session_start.
CREATE EXTERNAL TABLE IF NOT EXISTS sessions (
  user_id          STRING,
  session_start    TIMESTAMP,
  session_end      TIMESTAMP,
  duration_s       BIGINT,
  event_count      BIGINT,
  purchase_count   BIGINT,
  guild_join_count BIGINT,
  browser_family   STRING,
  os_family        STRING,
  device_family    STRING
)
PARTITIONED BY (dt STRING)
STORED AS PARQUET
LOCATION '${warehouse}/sessions'
