-- Snowflake DDL of the dw-pipelines warehouse (Snowflake SQL).
--
-- The pipelines also run the table statements of the generated part themselves at start-up
-- (CREATE ... IF NOT EXISTS), so running this file by hand is optional for them; the storage
-- integration, stage, raw-event table, pipe and tasks below are set up once by an administrator.
-- The generated part is pinned by dw.io.snowflake.SnowflakeDdlTest: after changing a table spec run
--   mvn -o test -Dtest=SnowflakeDdlTest -Ddw.updateGolden=true
--
-- Not yet run against a real Snowflake account (no network to Snowflake from the build machines):
-- the table, COPY INTO and MERGE statements are checked by running them (translated only where noted
-- in README) against PostgreSQL; the integration, stage, pipe and task statements are unverified.

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

-- BEGIN GENERATED (SnowflakeSql.ddl over SecurityTables.all())
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
  _pane BIGINT,
  _marker BOOLEAN
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
  _pane BIGINT,
  _marker BOOLEAN
);

CREATE TABLE IF NOT EXISTS dead_letters (
  file VARCHAR NOT NULL,
  line_number BIGINT NOT NULL,
  pipeline VARCHAR,
  reason VARCHAR,
  raw_line VARCHAR,
  PRIMARY KEY (file, line_number)
);

CREATE TRANSIENT TABLE IF NOT EXISTS dead_letters_load (
  file VARCHAR,
  line_number BIGINT,
  pipeline VARCHAR,
  reason VARCHAR,
  raw_line VARCHAR,
  _pane BIGINT,
  _marker BOOLEAN
);

-- END GENERATED

-- ---------------------------------------------------------------------------------------------
-- Streaming (not built in the pipelines yet; unverified): raw events through Snowpipe, which
-- accepts key-pair authentication only (SNOWFLAKE_LOAD_PRIVATE_KEY_FILE).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS security_ping_events (
  log_date DATE NOT NULL,
  event_time TIMESTAMP_NTZ NOT NULL,
  file VARCHAR NOT NULL,
  line_number BIGINT NOT NULL,
  server_id VARCHAR,
  version_full VARCHAR,
  edition VARCHAR,
  database_type VARCHAR,
  operating_system VARCHAR,
  registered_users BIGINT,
  active_users BIGINT,
  country_iso VARCHAR,
  edge_location VARCHAR,
  exclusion_reasons VARCHAR,
  loaded_at TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP(),
  PRIMARY KEY (file, line_number)
);

-- CREATE STAGE dw_events_stage URL = 's3://<staging-bucket>/<prefix>/events/' STORAGE_INTEGRATION = DW_S3;
-- CREATE PIPE dw_security_ping_events AUTO_INGEST = FALSE AS
--   COPY INTO security_ping_events (log_date, event_time, file, line_number, server_id, version_full,
--     edition, database_type, operating_system, registered_users, active_users, country_iso,
--     edge_location, exclusion_reasons)
--   FROM @dw_events_stage
--   FILE_FORMAT = (TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = ','
--     FIELD_OPTIONALLY_ENCLOSED_BY = '0x27' EMPTY_FIELD_AS_NULL = TRUE ESCAPE_UNENCLOSED_FIELD = NONE);

-- Streaming aggregates: panes are appended to the load tables (by Snowpipe), and a task merges
-- them on a schedule with the same statements the batch load runs (see SnowflakeSql.merge):
-- CREATE TASK dw_merge_server_daily WAREHOUSE = <load-warehouse> SCHEDULE = '5 MINUTE' AS
--   <MERGE INTO security_server_daily ... from SnowflakeSql.merge(SERVER_DAILY)>;
