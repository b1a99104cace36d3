-- Dead letters: records the stream-writer could not parse or validate, with where they came from.
CREATE EXTERNAL TABLE IF NOT EXISTS bad_events (
  raw             STRING,
  error           STRING,
  topic           STRING,
  kafka_partition INT,
  kafka_offset    BIGINT,
  received_ts     TIMESTAMP
)
PARTITIONED BY (dt STRING)
STORED AS PARQUET
LOCATION '${warehouse}/bad_events'
