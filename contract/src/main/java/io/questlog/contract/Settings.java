package io.questlog.contract;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Every {@code QUESTLOG_*} setting of every module, written once: README.md's settings table is this list
 * ({@link #markdownTable()}; a test compares them). Durations read like {@code 30 seconds}, {@code 10 minutes};
 * sizes like {@code 1MiB}. Ports are the defaults before {@code QUESTLOG_PORT_OFFSET} is added.
 */
public final class Settings {
    private static final String API = "ingest-api";
    private static final String WRITER = "stream-writer";
    private static final String STACK = "launcher";
    private static final String LOAD = "loadgen";

    // where things are
    public static final Setting KAFKA_BOOTSTRAP = new Setting("kafka_bootstrap", "127.0.0.1:9092", API + ", " + WRITER + ", import",
            "Kafka bootstrap servers (the launcher sets it for what it starts, from QUESTLOG_KAFKA_PORT)");
    public static final Setting TOPIC = new Setting("topic", "events", API + ", " + WRITER, "the Kafka topic of events");
    public static final Setting WAREHOUSE = new Setting("warehouse", "hdfs://localhost:8020/questlog/warehouse", WRITER + ", hive",
            "the tables' folders, one per table (the launcher sets it from QUESTLOG_NAMENODE_PORT)");
    public static final Setting CHECKPOINTS = new Setting("checkpoints", "hdfs://localhost:8020/questlog/checkpoints", WRITER,
            "the streaming checkpoints, one folder per query");
    public static final Setting HIVE_JDBC = new Setting("hive_jdbc", "jdbc:hive2://127.0.0.1:10000/default", "hive, " + WRITER,
            "HiveServer2, where tables are created and compacted partitions re-pointed (the launcher sets it from QUESTLOG_HIVESERVER2_PORT)");
    public static final Setting HIVE_JDBC_JAR = new Setting("hive_jdbc_jar", "hive/target/lib/hive-jdbc-4.0.1-standalone.jar", WRITER,
            "the Hive JDBC driver `compact` loads");
    public static final Setting TRINO_JDBC = new Setting("trino_jdbc", "jdbc:trino://127.0.0.1:8080/hive/default?user=questlog", WRITER,
            "Trino, where new partitions are registered (`none`: no registration; the launcher sets it from QUESTLOG_TRINO_PORT)");
    public static final Setting INGEST_URL = new Setting("ingest_url", "http://127.0.0.1:5000", LOAD + ", loadgen/ab", "the ingest-api that load is sent to");

    // the pipeline's behaviour
    public static final Setting ROUTES = new Setting("routes", Routes.DEFAULT, WRITER + ", hive, " + STACK,
            "event_type:table,...: which event types also go to a table of their own");
    public static final Setting TRIGGER = new Setting("trigger", "10 seconds", WRITER + ", " + STACK, "the stream-writer's micro-batch interval");
    public static final Setting SESSION_GAP = new Setting("session_gap", "30 minutes", WRITER + ", " + STACK + ", " + LOAD,
            "inactivity that ends a session (a gap strictly greater starts a new one)");
    public static final Setting WATERMARK = new Setting("watermark", "10 minutes", WRITER,
            "how late (behind the newest trusted time) an event may arrive and still count in its session");
    public static final Setting DEDUP_HORIZON = new Setting("dedup_horizon", "5 minutes", WRITER,
            "a repeated (user_id, event_id) reaching Kafka within this time of the first is dropped");
    public static final Setting STARTING_OFFSETS = new Setting("starting_offsets", "earliest", WRITER, "where a new checkpoint starts reading Kafka");
    public static final Setting MAX_OFFSETS_PER_TRIGGER = new Setting("max_offsets_per_trigger", "500000", WRITER,
            "most Kafka records one batch reads (0: no limit)");
    public static final Setting ON_DATA_LOSS = new Setting("on_data_loss", "fail", WRITER,
            "when Kafka's retention passed the checkpoint: `fail` (exit 3, the gap named) or `skip`");
    public static final Setting PROGRESS_FILE = new Setting("progress_file", null, WRITER,
            "a file that keeps the last progress line (the launcher sets it for `status`)");
    public static final Setting SPARK_MASTER = new Setting("spark_master", "local[2]", WRITER, "Spark's master, only if spark.master is not set");
    public static final Setting SPARK_LOG_LEVEL = new Setting("spark_log_level", "WARN", WRITER, "Spark's log level (`KEEP`: log4j's own)");
    public static final Setting KAFKA_PARTITIONS = new Setting("kafka_partitions", "4", STACK, "partitions of the topics the launcher creates");
    public static final Setting COMPACT_READ_GRACE = new Setting("compact_read_grace", "60 seconds", WRITER,
            "`compact`: how long replaced files stay for queries still reading them");
    public static final Setting COMPACT_PUBLISH_GRACE = new Setting("compact_publish_grace", "10 seconds", WRITER,
            "`compact`: the wait after locking a partition, for a batch publishing into it");
    public static final Setting COMPACT_TARGET_SIZE = new Setting("compact_target_size", "256MiB", WRITER, "`compact`: the merged files' size");

    // ingest-api
    public static final Setting INGEST_HOST = new Setting("ingest_host", "127.0.0.1", API, "the address ingest-api binds");
    public static final Setting INGEST_PORT = new Setting("ingest_port", "5000", API + ", " + STACK,
            "ingest-api's port (`up --cluster`: HAProxy's, in front of the instances)");
    public static final Setting TRUSTED_REQUEST_ID_HEADER = new Setting("trusted_request_id_header", null, API,
            "a header set by a trusted load balancer (e.g. `X-Request-Id`) whose value becomes the event_id of an event that has none,"
                    + " so a request the balancer retries on another instance is de-duplicated (none: off)");
    public static final Setting DELIVERY_TIMEOUT = new Setting("delivery_timeout", "10 seconds", API,
            "how long a produce may take before the request is answered 503 (delivery.timeout.ms)");
    public static final Setting KAFKA_MAX_BLOCK = new Setting("kafka_max_block", "5 seconds", API, "the producer's max.block.ms");
    public static final Setting KAFKA_LINGER = new Setting("kafka_linger", "1 ms", API, "the producer's linger.ms");
    public static final Setting KAFKA_COMPRESSION = new Setting("kafka_compression", "lz4", API, "the producer's compression.type");
    public static final Setting INGEST_MAX_BODY = new Setting("ingest_max_body", "1MiB", API, "largest request body (413 body_too_large)");
    public static final Setting INGEST_MAX_EVENTS = new Setting("ingest_max_events", "1000", API, "most events per request (413 too_many_events)");
    public static final Setting INGEST_MAX_EVENT_SIZE = new Setting("ingest_max_event_size", "32KiB", API, "largest event (413 event_too_large)");
    public static final Setting INGEST_MAX_ATTRIBUTES = new Setting("ingest_max_attributes", "100", API,
            "most attributes per event (400 too_many_attributes)");
    public static final Setting INGEST_MAX_CLOCK_SKEW = new Setting("ingest_max_clock_skew", "1 hour", API,
            "how far the corrected event_ts may be ahead of received_ts");
    public static final Setting INGEST_RETRY_AFTER = new Setting("ingest_retry_after", "5 seconds", API, "Retry-After on every 503");
    public static final Setting INGEST_MAX_IN_FLIGHT = new Setting("ingest_max_in_flight", "1024", API,
            "most requests between arrival and answer (more: 503 overloaded)");
    public static final Setting INGEST_MAX_IN_FLIGHT_BYTES = new Setting("ingest_max_in_flight_bytes", "64MiB", API,
            "most body bytes in flight (more: 503 overloaded)");
    public static final Setting INGEST_MAX_HEADERS = new Setting("ingest_max_headers", "64", API, "most header fields (431 too_many_headers)");
    public static final Setting INGEST_MAX_CONNECTIONS = new Setting("ingest_max_connections", "10000", API,
            "most open connections (more wait in the accept queue)");
    public static final Setting INGEST_IDLE_TIMEOUT = new Setting("ingest_idle_timeout", "30 seconds", API, "an idle connection is closed after this");
    public static final Setting INGEST_MIN_DATA_RATE = new Setting("ingest_min_data_rate", "1KiB", API,
            "bytes per second a body must arrive at, after a second's grace (slower: 408)");
    public static final Setting INGEST_BODY_TIMEOUT = new Setting("ingest_body_timeout", "30 seconds", API, "a body not whole by then: 408");
    public static final Setting INGEST_SECRET_NAMES = new Setting("ingest_secret_names",
            "token,secret,password,passwd,pwd,api_key,apikey,auth,session,signature,credential,private_key,cookie", API,
            "name parts (at least 3 characters) of headers and attributes that are removed");
    public static final Setting UA_CACHE_SIZE = new Setting("ua_cache_size", "10000", API, "parsed User-Agents kept");
    public static final Setting API_KEYS = new Setting("api_keys", null, API, "comma-separated; set: `POST /events` needs one");
    public static final Setting CORS_ORIGINS = new Setting("cors_origins", null, API, "comma-separated origins, or `*`, answered with CORS headers");

    public static final Setting LANDING = new Setting("landing", "./.questlog/landing", API + " import, " + STACK,
            "the landing zone `import` reads: pending/, processed/dt=YYYY-MM-DD/, failed/ (a path or hdfs://; the launcher's default is QUESTLOG_HOME/landing)");

    // the launcher (./questlog) and the local stack
    public static final Setting ROOT = new Setting("root", ".", STACK, "the repository (the `questlog` script sets it)");
    public static final Setting HOME = new Setting("home", "./.questlog", STACK, "the stack's state, logs and pids");
    public static final Setting OUTPUT = new Setting("output", "./output", STACK, "where reports and session counts are written");
    public static final Setting MAX_BAD_RATE = new Setting("max_bad_rate", "0.01", STACK, "`check`: the largest bad_events share that passes");
    public static final Setting PORT_OFFSET = new Setting("port_offset", "0", STACK, "added to every default port (the tests use 20000)");
    public static final Setting KAFKA_PORT = new Setting("kafka_port", "9092", STACK, "Kafka's broker port");
    public static final Setting KAFKA_CONTROLLER_PORT = new Setting("kafka_controller_port", "9093", STACK, "Kafka's KRaft controller port");
    public static final Setting NAMENODE_PORT = new Setting("namenode_port", "8020", STACK, "the HDFS NameNode's RPC port");
    public static final Setting NAMENODE_HTTP_PORT = new Setting("namenode_http_port", "9870", STACK, "the NameNode's web port");
    public static final Setting DATANODE_PORT = new Setting("datanode_port", "9866", STACK, "the DataNode's data port");
    public static final Setting DATANODE_HTTP_PORT = new Setting("datanode_http_port", "9864", STACK, "the DataNode's web port");
    public static final Setting DATANODE_IPC_PORT = new Setting("datanode_ipc_port", "9867", STACK, "the DataNode's IPC port");
    public static final Setting METASTORE_PORT = new Setting("metastore_port", "9083", STACK, "the Hive Metastore's thrift port");
    public static final Setting HIVESERVER2_PORT = new Setting("hiveserver2_port", "10000", STACK, "HiveServer2's port");
    public static final Setting TRINO_PORT = new Setting("trino_port", "8080", STACK, "Trino's port");
    public static final Setting TOPOLOGY = new Setting("topology", "single", STACK,
            "`single`: one process per part; `cluster`: several nodes per part (`up --cluster` records it in QUESTLOG_HOME/run/topology)");
    public static final Setting SPARK_MASTER_PORT = new Setting("spark_master_port", "7077", STACK,
            "`cluster`: the Spark standalone Master's port (worker N: +100 N)");
    public static final Setting SPARK_MASTER_WEBUI_PORT = new Setting("spark_master_webui_port", "8090", STACK,
            "`cluster`: the Master's web UI (worker N: +100 N)");
    public static final Setting TRINO_JAVA_HOME = new Setting("trino_java_home", null, STACK, "Trino's JDK (none: the newest JDK 22+ in /usr/lib/jvm)");

    // loadgen
    public static final Setting LOAD_USERS = new Setting("load_users", "200", LOAD, "simulated users");
    public static final Setting LOAD_HOURS = new Setting("load_hours", "3", LOAD, "simulated span ending now: hours, or a duration like 90m");
    public static final Setting LOAD_SEED = new Setting("load_seed", null, LOAD, "random seed; same seed, same events (none: random, printed)");
    public static final Setting LOAD_BATCH = new Setting("load_batch", "500", LOAD, "most events per POST");
    public static final Setting LOAD_SENDERS = new Setting("load_senders", "4", LOAD, "concurrent senders");
    public static final Setting LOAD_MANIFEST = new Setting("load_manifest", null, LOAD, "write every accepted event here as NDJSON");
    public static final Setting LOAD_SCENARIO = new Setting("load_scenario", "game", LOAD,
            "`game` (players, swords, guilds) or `marketing` (first_seen users; app_open, purchase, app_close with campaigns)");
    public static final Setting LOAD_MAX_ATTEMPTS = new Setting("load_max_attempts", "8", LOAD, "attempts per request on 503/429/connection errors");

    // loadgen/ab/game-traffic.sh (its --help names each flag's variable)
    private static final String AB = "loadgen/ab";
    public static final Setting AB_BINARY = new Setting("ab", null, AB, "the ab binary (none: `ab` on PATH)");
    public static final Setting AB_DURATION = new Setting("ab_duration", "10", AB, "seconds each host x endpoint runs");
    public static final Setting AB_MAX_REQUESTS = new Setting("ab_max_requests", "1000000", AB, "cap on requests of a timed run");
    public static final Setting AB_REQUESTS = new Setting("ab_requests", null, AB, "exactly N requests per host x endpoint instead of a duration");
    public static final Setting AB_CONCURRENCY = new Setting("ab_concurrency", "4", AB, "connections per host x endpoint");
    public static final Setting AB_HOSTS = new Setting("ab_hosts", "user1.comcast.com user2.att.com", AB, "Host headers, one simulated user each");
    public static final Setting AB_ENDPOINTS = new Setting("ab_endpoints", "/ /purchase_a_sword?sword_type=longsword&price=20 /join_a_guild?guild_name=Knights%20of%20Ni", AB,
            "paths with their query parameters");
    public static final Setting AB_TALLY = new Setting("ab_tally", null, AB, "write the machine-readable tally (TSV) here");

    private Settings() {
    }

    /** Every setting above, in the order written. */
    public static List<Setting> all() {
        List<Setting> out = new ArrayList<>();
        for (var f : Settings.class.getDeclaredFields()) {
            if (f.getType() == Setting.class && Modifier.isStatic(f.getModifiers())) {
                try {
                    out.add((Setting) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    /** README.md's settings table. */
    public static String markdownTable() {
        StringBuilder b = new StringBuilder("| variable | default | read by | meaning |\n|---|---|---|---|\n");
        for (Setting s : all()) {
            b.append("| `").append(s.var()).append("` | ").append(s.dflt() == null ? "none" : "`" + s.dflt() + "`")
                    .append(" | ").append(s.readBy()).append(" | ").append(s.doc()).append(" |\n");
        }
        return b.toString();
    }
}
