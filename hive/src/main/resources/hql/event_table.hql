-- `events` and every routed table (QUESTLOG_ROUTES): the envelope flattened, as the stream-writer writes it.
-- event_ts is the device's time corrected by the request's sent_at (if sent); device_ts the device's raw time.
CREATE EXTERNAL TABLE IF NOT EXISTS ${table} (
  event_id        STRING,
  event_type      STRING,
  user_id         STRING,
  event_ts        TIMESTAMP,
  received_ts     TIMESTAMP,
  host            STRING,
  user_agent      STRING,
  accept          STRING,
  headers         MAP<STRING, STRING>,
  browser_family  STRING,
  os_family       STRING,
  device_family   STRING,
  attributes      MAP<STRING, STRING>,
  schema_version  INT,
  raw_event       STRING,
  kafka_partition INT,
  kafka_offset    BIGINT,
  device_ts       TIMESTAMP
)
PARTITIONED BY (dt STRING)
STORED AS PARQUET
LOCATION '${warehouse}/${table}'
