package dw.io.snowflake;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Options of the Snowflake warehouse ({@code --warehouse=snowflake://ACCOUNT/DATABASE/SCHEMA}).
 * Each overrides the environment variable named in its description; secrets (password, key
 * passphrase) come from the environment only.
 */
public interface SnowflakeOptions extends PipelineOptions {
  @Description("Snowflake account identifier (overrides SNOWFLAKE_ACCOUNT).")
  @Default.String("")
  String getSnowflakeAccount();

  void setSnowflakeAccount(String value);

  @Description(
      "Snowflake user that loads (overrides SNOWFLAKE_LOAD_USER). Its password comes from"
          + " SNOWFLAKE_LOAD_PASSWORD, or use --snowflakePrivateKeyFile.")
  @Default.String("")
  String getSnowflakeUser();

  void setSnowflakeUser(String value);

  @Description(
      "PKCS#8 PEM private key for key-pair authentication (overrides"
          + " SNOWFLAKE_LOAD_PRIVATE_KEY_FILE; an encrypted key's passphrase comes from"
          + " SNOWFLAKE_LOAD_PRIVATE_KEY_PASSPHRASE). Snowpipe accepts only key pairs.")
  @Default.String("")
  String getSnowflakePrivateKeyFile();

  void setSnowflakePrivateKeyFile(String value);

  @Description("Snowflake database (overrides SNOWFLAKE_LOAD_DATABASE).")
  @Default.String("")
  String getSnowflakeDatabase();

  void setSnowflakeDatabase(String value);

  @Description("Snowflake schema (overrides SNOWFLAKE_LOAD_SCHEMA; default PUBLIC).")
  @Default.String("")
  String getSnowflakeSchema();

  void setSnowflakeSchema(String value);

  @Description("Snowflake virtual warehouse that runs the loads (overrides SNOWFLAKE_LOAD_WAREHOUSE).")
  @Default.String("")
  String getSnowflakeWarehouse();

  void setSnowflakeWarehouse(String value);

  @Description("Snowflake role (overrides SNOWFLAKE_LOAD_ROLE; default: the user's default role).")
  @Default.String("")
  String getSnowflakeRole();

  void setSnowflakeRole(String value);

  @Description(
      "Where load files are staged, s3://bucket/prefix/ (overrides SNOWFLAKE_STAGING_BUCKET);"
          + " Snowflake reads it through --snowflakeStorageIntegration.")
  @Default.String("")
  String getSnowflakeStagingBucket();

  void setSnowflakeStagingBucket(String value);

  @Description(
      "Snowflake storage integration that may read the staging bucket (overrides"
          + " SNOWFLAKE_STORAGE_INTEGRATION).")
  @Default.String("")
  String getSnowflakeStorageIntegration();

  void setSnowflakeStorageIntegration(String value);

  @Description(
      "Snowpipe of the raw events table security_pings (overrides SNOWFLAKE_SNOWPIPE; default"
          + " security_pings_pipe, see ddl.sql). Streaming runs only.")
  @Default.String("")
  String getSnowflakeSnowpipe();

  void setSnowflakeSnowpipe(String value);

  @Description(
      "For tests: class implementing dw.io.snowflake.SnowflakeSqlExecutor used instead of the"
          + " Snowflake JDBC driver. Empty: the driver.")
  @Default.String("")
  String getSnowflakeSqlExecutor();

  void setSnowflakeSqlExecutor(String value);

  @Description(
      "Streaming into Snowflake: seconds between Snowpipe flushes (rows are staged as files and"
          + " handed to the pipe at most this long after they are emitted).")
  @Default.Integer(30)
  Integer getSnowflakeFlushSeconds();

  void setSnowflakeFlushSeconds(Integer value);

  @Description("Streaming into Snowflake: files staged per flush and table (1..64).")
  @Default.Integer(1)
  Integer getSnowflakeShards();

  void setSnowflakeShards(Integer value);

  /** The option values as overrides of the environment. */
  static SnowflakeConfig.Overrides overrides(SnowflakeOptions o) {
    return new SnowflakeConfig.Overrides(
        o.getSnowflakeAccount(),
        o.getSnowflakeUser(),
        o.getSnowflakePrivateKeyFile(),
        o.getSnowflakeDatabase(),
        o.getSnowflakeSchema(),
        o.getSnowflakeWarehouse(),
        o.getSnowflakeRole(),
        o.getSnowflakeStagingBucket(),
        o.getSnowflakeStorageIntegration(),
        o.getSnowflakeSnowpipe(),
        o.getSnowflakeSqlExecutor(),
        o.getSnowflakeFlushSeconds(),
        o.getSnowflakeShards());
  }
}
