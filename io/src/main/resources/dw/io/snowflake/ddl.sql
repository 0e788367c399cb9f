-- Snowflake DDL of the dw-pipelines warehouse (Snowflake SQL).
--
-- The pipelines run the CREATE TABLE statements of the generated part themselves at start-up
-- (IF NOT EXISTS, plus ALTER TABLE ... ADD COLUMN IF NOT EXISTS for columns added since), so for
-- backfills running this file by hand is optional. Streaming (Snowpipe; security-pings and
-- push-proxy) needs the storage integration and stage below and the raw table, pipes, streams and
-- tasks of the generated part, created once by an administrator (the load user needs no CREATE
-- privileges):
--   streaming load user: OPERATE + MONITOR on the pipes, INSERT/SELECT on the load tables and
--   security_pings, USAGE on the stage and integration; key-pair authentication (Snowpipe's REST API
--   accepts nothing else): ALTER USER <load-user> SET RSA_PUBLIC_KEY = '<public key>';
--   task owner: EXECUTE MANAGED TASK (serverless tasks) and DML on the tables.
-- The generated part is pinned by dw.io.snowflake.SnowflakeDdlTest: after changing a table spec run
--   mvn -o test -Dtest=SnowflakeDdlTest -Ddw.updateGolden=true
--
-- Not yet run against a real Snowflake account (no network to Snowflake from the build machines):
-- the table, COPY INTO, MERGE and task-body statements are checked by running them (translated only
-- where noted in README) against PostgreSQL, the pipes' COPY INTO by loading the staged files as it
-- would; Snowflake's own parsing of the integration, stage, pipe, stream and task statements is
-- unverified.

-- ---------------------------------------------------------------------------------------------
-- Once per account (ACCOUNTADMIN): the S3 staging bucket, readable by Snowflake.
-- ---------------------------------------------------------------------------------------------
-- CREATE STORAGE INTEGRATION DW_S3
--   TYPE = EXTERNAL_STAGE
--   STORAGE_PROVIDER = 'S3'
--   ENABLED = TRUE
--   STORAGE_AWS_ROLE_ARN = 'arn:aws:iam::<aws-account>:role/<snowflake-load-role>'
--   STORAGE_ALLOWED_LOCATIONS = ('s3://<staging-bucket>/<prefix>/');
-- GRANT USAGE ON INTEGRATION DW_S3 TO ROLE <load-role>;
--
-- Streaming only: the stage the pipes read, over the same bucket and prefix as
-- SNOWFLAKE_STAGING_BUCKET (streamed files go under <prefix>/stream/<table>/).
-- CREATE STAGE IF NOT EXISTS dw_stage URL = 's3://<staging-bucket>/<prefix>/' STORAGE_INTEGRATION = DW_S3;

-- BEGIN GENERATED (SnowflakeSql.ddl over SecurityTables.all() and PushProxyTables.HOURLY, HOURLY_BY_COUNTRY)
CREATE TABLE IF NOT EXISTS security_server_daily (
  log_date DATE NOT NULL,
  server_id VARCHAR NOT NULL,
  version_full VARCHAR,
  version_major INTEGER,
  version_minor INTEGER,
  version_patch INTEGER,
  build VARCHAR,
  edition VARCHAR,
  is_enterprise_ready BOOLEAN,
  database_type VARCHAR,
  operating_system VARCHAR,
  registered_users BIGINT,
  teams BIGINT,
  active_users BIGINT,
  max_active_users BIGINT,
  pings BIGINT,
  distinct_ips INTEGER,
  distinct_versions INTEGER,
  first_ping_at TIMESTAMP_NTZ,
  last_ping_at TIMESTAMP_NTZ,
  country_iso VARCHAR,
  country_name VARCHAR,
  subdivision_iso VARCHAR,
  subdivision_name VARCHAR,
  city VARCHAR,
  asn BIGINT,
  edge_location VARCHAR,
  exclusion_reasons VARCHAR,
  is_excluded BOOLEAN,
  client_ip_hash VARCHAR,
  client_network VARCHAR,
  client_ip VARCHAR,
  pane_timing VARCHAR,
  is_final BOOLEAN,
  _emitted_at TIMESTAMP_NTZ,
  _pane BIGINT,
  PRIMARY KEY (log_date, server_id)
);

CREATE TRANSIENT TABLE IF NOT EXISTS security_server_daily_load (
  log_date DATE,
  server_id VARCHAR,
  version_full VARCHAR,
  version_major INTEGER,
  version_minor INTEGER,
  version_patch INTEGER,
  build VARCHAR,
  edition VARCHAR,
  is_enterprise_ready BOOLEAN,
  database_type VARCHAR,
  operating_system VARCHAR,
  registered_users BIGINT,
  teams BIGINT,
  active_users BIGINT,
  max_active_users BIGINT,
  pings BIGINT,
  distinct_ips INTEGER,
  distinct_versions INTEGER,
  first_ping_at TIMESTAMP_NTZ,
  last_ping_at TIMESTAMP_NTZ,
  country_iso VARCHAR,
  country_name VARCHAR,
  subdivision_iso VARCHAR,
  subdivision_name VARCHAR,
  city VARCHAR,
  asn BIGINT,
  edge_location VARCHAR,
  exclusion_reasons VARCHAR,
  is_excluded BOOLEAN,
  client_ip_hash VARCHAR,
  client_network VARCHAR,
  client_ip VARCHAR,
  pane_timing VARCHAR,
  is_final BOOLEAN,
  _emitted_at TIMESTAMP_NTZ,
  _pane BIGINT
);

CREATE TABLE IF NOT EXISTS security_daily_totals (
  log_date DATE NOT NULL,
  version VARCHAR NOT NULL,
  edition VARCHAR NOT NULL,
  database_type VARCHAR NOT NULL,
  operating_system VARCHAR NOT NULL,
  country_iso VARCHAR NOT NULL,
  active_servers BIGINT,
  active_users BIGINT,
  max_active_users BIGINT,
  registered_users BIGINT,
  pane_timing VARCHAR,
  is_final BOOLEAN,
  _emitted_at TIMESTAMP_NTZ,
  _pane BIGINT,
  PRIMARY KEY (log_date, version, edition, database_type, operating_system, country_iso)
);

CREATE TRANSIENT TABLE IF NOT EXISTS security_daily_totals_load (
  log_date DATE,
  version VARCHAR,
  edition VARCHAR,
  database_type VARCHAR,
  operating_system VARCHAR,
  country_iso VARCHAR,
  active_servers BIGINT,
  active_users BIGINT,
  max_active_users BIGINT,
  registered_users BIGINT,
  pane_timing VARCHAR,
  is_final BOOLEAN,
  _emitted_at TIMESTAMP_NTZ,
  _pane BIGINT,
  _marker BOOLEAN,
  _rows BIGINT
);

CREATE TABLE IF NOT EXISTS dead_letters (
  file VARCHAR NOT NULL,
  line_number BIGINT NOT NULL,
  pipeline VARCHAR,
  reason VARCHAR,
  raw_line VARCHAR,
  _emitted_at TIMESTAMP_NTZ,
  _pane BIGINT,
  PRIMARY KEY (file, line_number)
);

CREATE TRANSIENT TABLE IF NOT EXISTS dead_letters_load (
  file VARCHAR,
  line_number BIGINT,
  pipeline VARCHAR,
  reason VARCHAR,
  raw_line VARCHAR,
  _emitted_at TIMESTAMP_NTZ,
  _pane BIGINT
);

CREATE TABLE IF NOT EXISTS push_proxy_hourly (
  hour TIMESTAMP_NTZ NOT NULL,
  deployment VARCHAR NOT NULL,
  route VARCHAR NOT NULL,
  aws_region VARCHAR,
  load_balancer VARCHAR,
  requests BIGINT,
  answered BIGINT,
  rate_limited BIGINT,
  client_errors BIGINT,
  server_errors BIGINT,
  target_p50_ms BIGINT,
  target_p95_ms BIGINT,
  target_p99_ms BIGINT,
  received_bytes BIGINT,
  sent_bytes BIGINT,
  pane_timing VARCHAR,
  is_final BOOLEAN,
  _emitted_at TIMESTAMP_NTZ,
  _pane BIGINT,
  PRIMARY KEY (hour, deployment, route)
);

CREATE TRANSIENT TABLE IF NOT EXISTS push_proxy_hourly_load (
  hour TIMESTAMP_NTZ,
  deployment VARCHAR,
  route VARCHAR,
  aws_region VARCHAR,
  load_balancer VARCHAR,
  requests BIGINT,
  answered BIGINT,
  rate_limited BIGINT,
  client_errors BIGINT,
  server_errors BIGINT,
  target_p50_ms BIGINT,
  target_p95_ms BIGINT,
  target_p99_ms BIGINT,
  received_bytes BIGINT,
  sent_bytes BIGINT,
  pane_timing VARCHAR,
  is_final BOOLEAN,
  _emitted_at TIMESTAMP_NTZ,
  _pane BIGINT
);

CREATE TABLE IF NOT EXISTS push_proxy_hourly_by_country (
  hour TIMESTAMP_NTZ NOT NULL,
  deployment VARCHAR NOT NULL,
  route VARCHAR NOT NULL,
  country_iso VARCHAR NOT NULL,
  requests BIGINT,
  answered BIGINT,
  pane_timing VARCHAR,
  is_final BOOLEAN,
  _emitted_at TIMESTAMP_NTZ,
  _pane BIGINT,
  PRIMARY KEY (hour, deployment, route, country_iso)
);

CREATE TRANSIENT TABLE IF NOT EXISTS push_proxy_hourly_by_country_load (
  hour TIMESTAMP_NTZ,
  deployment VARCHAR,
  route VARCHAR,
  country_iso VARCHAR,
  requests BIGINT,
  answered BIGINT,
  pane_timing VARCHAR,
  is_final BOOLEAN,
  _emitted_at TIMESTAMP_NTZ,
  _pane BIGINT
);

-- Raw events (streaming only): every parsed ping, loaded by Snowpipe.
CREATE TABLE IF NOT EXISTS security_pings (
  event_time TIMESTAMP_NTZ NOT NULL,
  log_date DATE NOT NULL,
  server_id VARCHAR NOT NULL,
  build VARCHAR,
  version_full VARCHAR,
  version_major INTEGER,
  version_minor INTEGER,
  version_patch INTEGER,
  custom_build BOOLEAN NOT NULL,
  edition VARCHAR NOT NULL,
  is_enterprise_ready BOOLEAN,
  database_type VARCHAR,
  operating_system VARCHAR,
  registered_users BIGINT,
  teams BIGINT,
  active_users BIGINT,
  ran_unit_tests BOOLEAN NOT NULL,
  client_ip_hash VARCHAR,
  client_network VARCHAR,
  client_ip VARCHAR,
  edge_location VARCHAR,
  request_id VARCHAR,
  country_iso VARCHAR,
  country_name VARCHAR,
  subdivision_iso VARCHAR,
  subdivision_name VARCHAR,
  city VARCHAR,
  asn BIGINT,
  exclusion_reasons VARCHAR NOT NULL,
  is_excluded BOOLEAN NOT NULL
);

CREATE PIPE IF NOT EXISTS security_pings_pipe AUTO_INGEST = FALSE AS COPY INTO security_pings (event_time, log_date, server_id, build, version_full, version_major, version_minor, version_patch, custom_build, edition, is_enterprise_ready, database_type, operating_system, registered_users, teams, active_users, ran_unit_tests, client_ip_hash, client_network, client_ip, edge_location, request_id, country_iso, country_name, subdivision_iso, subdivision_name, city, asn, exclusion_reasons, is_excluded) FROM @dw_stage/stream/security_pings/ FILE_FORMAT = (TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = ',' FIELD_OPTIONALLY_ENCLOSED_BY = '0x27' EMPTY_FIELD_AS_NULL = TRUE ESCAPE_UNENCLOSED_FIELD = NONE);

-- Streaming security_server_daily: Snowpipe appends panes to security_server_daily_load, a task merges them every 1 minute.
CREATE PIPE IF NOT EXISTS security_server_daily_load_pipe AUTO_INGEST = FALSE AS COPY INTO security_server_daily_load (log_date, server_id, version_full, version_major, version_minor, version_patch, build, edition, is_enterprise_ready, database_type, operating_system, registered_users, teams, active_users, max_active_users, pings, distinct_ips, distinct_versions, first_ping_at, last_ping_at, country_iso, country_name, subdivision_iso, subdivision_name, city, asn, edge_location, exclusion_reasons, is_excluded, client_ip_hash, client_network, client_ip, pane_timing, is_final, _emitted_at, _pane) FROM @dw_stage/stream/security_server_daily_load/ FILE_FORMAT = (TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = ',' FIELD_OPTIONALLY_ENCLOSED_BY = '0x27' EMPTY_FIELD_AS_NULL = TRUE ESCAPE_UNENCLOSED_FIELD = NONE);

CREATE STREAM IF NOT EXISTS security_server_daily_load_stream ON TABLE security_server_daily_load APPEND_ONLY = TRUE;

CREATE TASK IF NOT EXISTS security_server_daily_merge_task USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE = 'XSMALL' SCHEDULE = '1 MINUTE' WHEN SYSTEM$STREAM_HAS_DATA('security_server_daily_load_stream') AS
MERGE INTO security_server_daily t USING (SELECT log_date, server_id, version_full, version_major, version_minor, version_patch, build, edition, is_enterprise_ready, database_type, operating_system, registered_users, teams, active_users, max_active_users, pings, distinct_ips, distinct_versions, first_ping_at, last_ping_at, country_iso, country_name, subdivision_iso, subdivision_name, city, asn, edge_location, exclusion_reasons, is_excluded, client_ip_hash, client_network, client_ip, pane_timing, is_final, _emitted_at, _pane FROM (SELECT l.*, ROW_NUMBER() OVER (PARTITION BY log_date, server_id ORDER BY _emitted_at DESC, _pane DESC) AS _rn FROM security_server_daily_load_stream l) d WHERE _rn = 1) s ON t.log_date = s.log_date AND t.server_id = s.server_id WHEN MATCHED AND (t._emitted_at IS NULL OR s._emitted_at > t._emitted_at OR (s._emitted_at = t._emitted_at AND s._pane >= t._pane)) THEN UPDATE SET version_full = s.version_full, version_major = s.version_major, version_minor = s.version_minor, version_patch = s.version_patch, build = s.build, edition = s.edition, is_enterprise_ready = s.is_enterprise_ready, database_type = s.database_type, operating_system = s.operating_system, registered_users = s.registered_users, teams = s.teams, active_users = s.active_users, max_active_users = s.max_active_users, pings = s.pings, distinct_ips = s.distinct_ips, distinct_versions = s.distinct_versions, first_ping_at = s.first_ping_at, last_ping_at = s.last_ping_at, country_iso = s.country_iso, country_name = s.country_name, subdivision_iso = s.subdivision_iso, subdivision_name = s.subdivision_name, city = s.city, asn = s.asn, edge_location = s.edge_location, exclusion_reasons = s.exclusion_reasons, is_excluded = s.is_excluded, client_ip_hash = s.client_ip_hash, client_network = s.client_network, client_ip = s.client_ip, pane_timing = s.pane_timing, is_final = s.is_final, _emitted_at = s._emitted_at, _pane = s._pane WHEN NOT MATCHED THEN INSERT (log_date, server_id, version_full, version_major, version_minor, version_patch, build, edition, is_enterprise_ready, database_type, operating_system, registered_users, teams, active_users, max_active_users, pings, distinct_ips, distinct_versions, first_ping_at, last_ping_at, country_iso, country_name, subdivision_iso, subdivision_name, city, asn, edge_location, exclusion_reasons, is_excluded, client_ip_hash, client_network, client_ip, pane_timing, is_final, _emitted_at, _pane) VALUES (s.log_date, s.server_id, s.version_full, s.version_major, s.version_minor, s.version_patch, s.build, s.edition, s.is_enterprise_ready, s.database_type, s.operating_system, s.registered_users, s.teams, s.active_users, s.max_active_users, s.pings, s.distinct_ips, s.distinct_versions, s.first_ping_at, s.last_ping_at, s.country_iso, s.country_name, s.subdivision_iso, s.subdivision_name, s.city, s.asn, s.edge_location, s.exclusion_reasons, s.is_excluded, s.client_ip_hash, s.client_network, s.client_ip, s.pane_timing, s.is_final, s._emitted_at, s._pane);

ALTER TASK security_server_daily_merge_task RESUME;

-- Streaming security_daily_totals: Snowpipe appends panes to security_daily_totals_load, a task merges them every 1 minute.
CREATE PIPE IF NOT EXISTS security_daily_totals_load_pipe AUTO_INGEST = FALSE AS COPY INTO security_daily_totals_load (log_date, version, edition, database_type, operating_system, country_iso, active_servers, active_users, max_active_users, registered_users, pane_timing, is_final, _emitted_at, _pane, _marker, _rows) FROM @dw_stage/stream/security_daily_totals_load/ FILE_FORMAT = (TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = ',' FIELD_OPTIONALLY_ENCLOSED_BY = '0x27' EMPTY_FIELD_AS_NULL = TRUE ESCAPE_UNENCLOSED_FIELD = NONE);

CREATE STREAM IF NOT EXISTS security_daily_totals_load_stream ON TABLE security_daily_totals_load APPEND_ONLY = TRUE;

CREATE TRANSIENT TABLE IF NOT EXISTS security_daily_totals_pending (
  log_date DATE,
  version VARCHAR,
  edition VARCHAR,
  database_type VARCHAR,
  operating_system VARCHAR,
  country_iso VARCHAR,
  active_servers BIGINT,
  active_users BIGINT,
  max_active_users BIGINT,
  registered_users BIGINT,
  pane_timing VARCHAR,
  is_final BOOLEAN,
  _emitted_at TIMESTAMP_NTZ,
  _pane BIGINT,
  _marker BOOLEAN,
  _rows BIGINT
);

CREATE TASK IF NOT EXISTS security_daily_totals_merge_task USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE = 'XSMALL' SCHEDULE = '1 MINUTE' WHEN SYSTEM$STREAM_HAS_DATA('security_daily_totals_load_stream') AS
EXECUTE IMMEDIATE
$$
BEGIN
  BEGIN TRANSACTION;
  INSERT INTO security_daily_totals_pending (log_date, version, edition, database_type, operating_system, country_iso, active_servers, active_users, max_active_users, registered_users, pane_timing, is_final, _emitted_at, _pane, _marker, _rows) SELECT log_date, version, edition, database_type, operating_system, country_iso, active_servers, active_users, max_active_users, registered_users, pane_timing, is_final, _emitted_at, _pane, _marker, _rows FROM security_daily_totals_load_stream;
  DELETE FROM security_daily_totals t USING (SELECT log_date, _emitted_at, _pane FROM (SELECT m.log_date, m._emitted_at, m._pane, ROW_NUMBER() OVER (PARTITION BY m.log_date ORDER BY m._emitted_at DESC, m._pane DESC) AS _rn FROM security_daily_totals_pending m LEFT JOIN (SELECT log_date, _emitted_at, _pane, COUNT(*) AS _n FROM security_daily_totals_pending WHERE NOT _marker GROUP BY log_date, _emitted_at, _pane) r ON r.log_date = m.log_date AND r._emitted_at = m._emitted_at AND r._pane = m._pane WHERE m._marker AND m._rows = COALESCE(r._n, 0)) c WHERE _rn = 1) s WHERE t.log_date = s.log_date AND (t._emitted_at IS NULL OR s._emitted_at > t._emitted_at OR (s._emitted_at = t._emitted_at AND s._pane >= t._pane));
  INSERT INTO security_daily_totals (log_date, version, edition, database_type, operating_system, country_iso, active_servers, active_users, max_active_users, registered_users, pane_timing, is_final, _emitted_at, _pane) SELECT d.log_date, d.version, d.edition, d.database_type, d.operating_system, d.country_iso, d.active_servers, d.active_users, d.max_active_users, d.registered_users, d.pane_timing, d.is_final, d._emitted_at, d._pane FROM security_daily_totals_pending d JOIN (SELECT log_date, _emitted_at, _pane FROM (SELECT m.log_date, m._emitted_at, m._pane, ROW_NUMBER() OVER (PARTITION BY m.log_date ORDER BY m._emitted_at DESC, m._pane DESC) AS _rn FROM security_daily_totals_pending m LEFT JOIN (SELECT log_date, _emitted_at, _pane, COUNT(*) AS _n FROM security_daily_totals_pending WHERE NOT _marker GROUP BY log_date, _emitted_at, _pane) r ON r.log_date = m.log_date AND r._emitted_at = m._emitted_at AND r._pane = m._pane WHERE m._marker AND m._rows = COALESCE(r._n, 0)) c WHERE _rn = 1) s ON d.log_date = s.log_date AND d._emitted_at = s._emitted_at AND d._pane = s._pane WHERE NOT d._marker AND NOT EXISTS (SELECT 1 FROM security_daily_totals t WHERE t.log_date = d.log_date);
  DELETE FROM security_daily_totals_pending p USING (SELECT log_date, _emitted_at, _pane FROM (SELECT m.log_date, m._emitted_at, m._pane, ROW_NUMBER() OVER (PARTITION BY m.log_date ORDER BY m._emitted_at DESC, m._pane DESC) AS _rn FROM security_daily_totals_pending m LEFT JOIN (SELECT log_date, _emitted_at, _pane, COUNT(*) AS _n FROM security_daily_totals_pending WHERE NOT _marker GROUP BY log_date, _emitted_at, _pane) r ON r.log_date = m.log_date AND r._emitted_at = m._emitted_at AND r._pane = m._pane WHERE m._marker AND m._rows = COALESCE(r._n, 0)) c WHERE _rn = 1) s WHERE p.log_date = s.log_date AND (p._emitted_at IS NULL OR s._emitted_at > p._emitted_at OR (s._emitted_at = p._emitted_at AND s._pane >= p._pane));
  COMMIT;
END;
$$;

ALTER TASK security_daily_totals_merge_task RESUME;

-- Streaming dead_letters: Snowpipe appends panes to dead_letters_load, a task merges them every 1 minute.
CREATE PIPE IF NOT EXISTS dead_letters_load_pipe AUTO_INGEST = FALSE AS COPY INTO dead_letters_load (file, line_number, pipeline, reason, raw_line, _emitted_at, _pane) FROM @dw_stage/stream/dead_letters_load/ FILE_FORMAT = (TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = ',' FIELD_OPTIONALLY_ENCLOSED_BY = '0x27' EMPTY_FIELD_AS_NULL = TRUE ESCAPE_UNENCLOSED_FIELD = NONE);

CREATE STREAM IF NOT EXISTS dead_letters_load_stream ON TABLE dead_letters_load APPEND_ONLY = TRUE;

CREATE TASK IF NOT EXISTS dead_letters_merge_task USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE = 'XSMALL' SCHEDULE = '1 MINUTE' WHEN SYSTEM$STREAM_HAS_DATA('dead_letters_load_stream') AS
MERGE INTO dead_letters t USING (SELECT file, line_number, pipeline, reason, raw_line, _emitted_at, _pane FROM (SELECT l.*, ROW_NUMBER() OVER (PARTITION BY file, line_number ORDER BY _emitted_at DESC, _pane DESC) AS _rn FROM dead_letters_load_stream l) d WHERE _rn = 1) s ON t.file = s.file AND t.line_number = s.line_number WHEN MATCHED AND (t._emitted_at IS NULL OR s._emitted_at > t._emitted_at OR (s._emitted_at = t._emitted_at AND s._pane >= t._pane)) THEN UPDATE SET pipeline = s.pipeline, reason = s.reason, raw_line = s.raw_line, _emitted_at = s._emitted_at, _pane = s._pane WHEN NOT MATCHED THEN INSERT (file, line_number, pipeline, reason, raw_line, _emitted_at, _pane) VALUES (s.file, s.line_number, s.pipeline, s.reason, s.raw_line, s._emitted_at, s._pane);

ALTER TASK dead_letters_merge_task RESUME;

-- Streaming push_proxy_hourly: Snowpipe appends panes to push_proxy_hourly_load, a task merges them every 1 minute.
CREATE PIPE IF NOT EXISTS push_proxy_hourly_load_pipe AUTO_INGEST = FALSE AS COPY INTO push_proxy_hourly_load (hour, deployment, route, aws_region, load_balancer, requests, answered, rate_limited, client_errors, server_errors, target_p50_ms, target_p95_ms, target_p99_ms, received_bytes, sent_bytes, pane_timing, is_final, _emitted_at, _pane) FROM @dw_stage/stream/push_proxy_hourly_load/ FILE_FORMAT = (TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = ',' FIELD_OPTIONALLY_ENCLOSED_BY = '0x27' EMPTY_FIELD_AS_NULL = TRUE ESCAPE_UNENCLOSED_FIELD = NONE);

CREATE STREAM IF NOT EXISTS push_proxy_hourly_load_stream ON TABLE push_proxy_hourly_load APPEND_ONLY = TRUE;

CREATE TASK IF NOT EXISTS push_proxy_hourly_merge_task USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE = 'XSMALL' SCHEDULE = '1 MINUTE' WHEN SYSTEM$STREAM_HAS_DATA('push_proxy_hourly_load_stream') AS
MERGE INTO push_proxy_hourly t USING (SELECT hour, deployment, route, aws_region, load_balancer, requests, answered, rate_limited, client_errors, server_errors, target_p50_ms, target_p95_ms, target_p99_ms, received_bytes, sent_bytes, pane_timing, is_final, _emitted_at, _pane FROM (SELECT l.*, ROW_NUMBER() OVER (PARTITION BY hour, deployment, route ORDER BY _emitted_at DESC, _pane DESC) AS _rn FROM push_proxy_hourly_load_stream l) d WHERE _rn = 1) s ON t.hour = s.hour AND t.deployment = s.deployment AND t.route = s.route WHEN MATCHED AND (t._emitted_at IS NULL OR s._emitted_at > t._emitted_at OR (s._emitted_at = t._emitted_at AND s._pane >= t._pane)) THEN UPDATE SET aws_region = s.aws_region, load_balancer = s.load_balancer, requests = s.requests, answered = s.answered, rate_limited = s.rate_limited, client_errors = s.client_errors, server_errors = s.server_errors, target_p50_ms = s.target_p50_ms, target_p95_ms = s.target_p95_ms, target_p99_ms = s.target_p99_ms, received_bytes = s.received_bytes, sent_bytes = s.sent_bytes, pane_timing = s.pane_timing, is_final = s.is_final, _emitted_at = s._emitted_at, _pane = s._pane WHEN NOT MATCHED THEN INSERT (hour, deployment, route, aws_region, load_balancer, requests, answered, rate_limited, client_errors, server_errors, target_p50_ms, target_p95_ms, target_p99_ms, received_bytes, sent_bytes, pane_timing, is_final, _emitted_at, _pane) VALUES (s.hour, s.deployment, s.route, s.aws_region, s.load_balancer, s.requests, s.answered, s.rate_limited, s.client_errors, s.server_errors, s.target_p50_ms, s.target_p95_ms, s.target_p99_ms, s.received_bytes, s.sent_bytes, s.pane_timing, s.is_final, s._emitted_at, s._pane);

ALTER TASK push_proxy_hourly_merge_task RESUME;

-- Streaming push_proxy_hourly_by_country: Snowpipe appends panes to push_proxy_hourly_by_country_load, a task merges them every 1 minute.
CREATE PIPE IF NOT EXISTS push_proxy_hourly_by_country_load_pipe AUTO_INGEST = FALSE AS COPY INTO push_proxy_hourly_by_country_load (hour, deployment, route, country_iso, requests, answered, pane_timing, is_final, _emitted_at, _pane) FROM @dw_stage/stream/push_proxy_hourly_by_country_load/ FILE_FORMAT = (TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = ',' FIELD_OPTIONALLY_ENCLOSED_BY = '0x27' EMPTY_FIELD_AS_NULL = TRUE ESCAPE_UNENCLOSED_FIELD = NONE);

CREATE STREAM IF NOT EXISTS push_proxy_hourly_by_country_load_stream ON TABLE push_proxy_hourly_by_country_load APPEND_ONLY = TRUE;

CREATE TASK IF NOT EXISTS push_proxy_hourly_by_country_merge_task USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE = 'XSMALL' SCHEDULE = '1 MINUTE' WHEN SYSTEM$STREAM_HAS_DATA('push_proxy_hourly_by_country_load_stream') AS
MERGE INTO push_proxy_hourly_by_country t USING (SELECT hour, deployment, route, country_iso, requests, answered, pane_timing, is_final, _emitted_at, _pane FROM (SELECT l.*, ROW_NUMBER() OVER (PARTITION BY hour, deployment, route, country_iso ORDER BY _emitted_at DESC, _pane DESC) AS _rn FROM push_proxy_hourly_by_country_load_stream l) d WHERE _rn = 1) s ON t.hour = s.hour AND t.deployment = s.deployment AND t.route = s.route AND t.country_iso = s.country_iso WHEN MATCHED AND (t._emitted_at IS NULL OR s._emitted_at > t._emitted_at OR (s._emitted_at = t._emitted_at AND s._pane >= t._pane)) THEN UPDATE SET requests = s.requests, answered = s.answered, pane_timing = s.pane_timing, is_final = s.is_final, _emitted_at = s._emitted_at, _pane = s._pane WHEN NOT MATCHED THEN INSERT (hour, deployment, route, country_iso, requests, answered, pane_timing, is_final, _emitted_at, _pane) VALUES (s.hour, s.deployment, s.route, s.country_iso, s.requests, s.answered, s.pane_timing, s.is_final, s._emitted_at, s._pane);

ALTER TASK push_proxy_hourly_by_country_merge_task RESUME;

-- END GENERATED

-- Housekeeping (optional, unverified): load tables only grow in streaming; the streams remember
-- what was merged, so old rows can be dropped once merged, e.g. daily:
-- CREATE TASK dw_purge_load_tables USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE = 'XSMALL'
--   SCHEDULE = 'USING CRON 0 3 * * * UTC' AS
--   BEGIN
--     DELETE FROM security_server_daily_load WHERE _emitted_at < DATEADD(DAY, -3, CURRENT_TIMESTAMP());
--     DELETE FROM security_daily_totals_load WHERE _emitted_at < DATEADD(DAY, -3, CURRENT_TIMESTAMP());
--     DELETE FROM dead_letters_load WHERE _emitted_at < DATEADD(DAY, -3, CURRENT_TIMESTAMP());
--     DELETE FROM push_proxy_hourly_load WHERE _emitted_at < DATEADD(DAY, -3, CURRENT_TIMESTAMP());
--     DELETE FROM push_proxy_hourly_by_country_load WHERE _emitted_at < DATEADD(DAY, -3, CURRENT_TIMESTAMP());
--   END;
