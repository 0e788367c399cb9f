package dw.io.snowflake;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where and how the Snowflake warehouse is loaded. Values come from the environment, named as in
 * the original deployment, and each can be overridden by an option (an option that is set wins):
 *
 * <pre>
 * SNOWFLAKE_ACCOUNT                  --snowflakeAccount          (or the host of snowflake://ACCOUNT/DB/SCHEMA)
 * SNOWFLAKE_LOAD_USER                --snowflakeUser
 * SNOWFLAKE_LOAD_PASSWORD            (environment only: secrets are never options)
 * SNOWFLAKE_LOAD_PRIVATE_KEY_FILE    --snowflakePrivateKeyFile   (PKCS#8 PEM; key-pair authentication)
 * SNOWFLAKE_LOAD_PRIVATE_KEY_PASSPHRASE (environment only; for an encrypted key)
 * SNOWFLAKE_LOAD_DATABASE            --snowflakeDatabase         (or snowflake://ACCOUNT/DB)
 * SNOWFLAKE_LOAD_SCHEMA              --snowflakeSchema           (default PUBLIC)
 * SNOWFLAKE_LOAD_WAREHOUSE           --snowflakeWarehouse
 * SNOWFLAKE_LOAD_ROLE                --snowflakeRole
 * SNOWFLAKE_STAGING_BUCKET           --snowflakeStagingBucket    (s3://bucket/prefix/)
 * SNOWFLAKE_STORAGE_INTEGRATION      --snowflakeStorageIntegration
 * SNOWFLAKE_SNOWPIPE                 --snowflakeSnowpipe         (streaming raw events)
 * </pre>
 *
 * {@link #toString()} never shows the password, the key or the passphrase.
 */
public final class SnowflakeConfig implements Serializable {
  /** Option values (null or empty = not set); see {@link SnowflakeOptions}. */
  public record Overrides(
      String account,
      String user,
      String privateKeyFile,
      String database,
      String schema,
      String warehouse,
      String role,
      String stagingBucket,
      String storageIntegration,
      String snowpipe,
      String sqlExecutorClass,
      Integer flushSeconds,
      Integer shards)
      implements Serializable {
    public Overrides(
        String account, String user, String privateKeyFile, String database, String schema,
        String warehouse, String role, String stagingBucket, String storageIntegration,
        String snowpipe, String sqlExecutorClass) {
      this(account, user, privateKeyFile, database, schema, warehouse, role, stagingBucket,
          storageIntegration, snowpipe, sqlExecutorClass, null, null);
    }

    public static Overrides none() {
      return new Overrides(null, null, null, null, null, null, null, null, null, null, null);
    }
  }

  /** Streaming defaults: Snowpipe flush interval and files per flush. */
  public static final int DEFAULT_FLUSH_SECONDS = 30;
  public static final int DEFAULT_SHARDS = 1;

  private final String account;
  private final String user;
  private final String password;
  private final String privateKeyFile;
  private final String privateKeyPassphrase;
  private final String database;
  private final String schema;
  private final String warehouse;
  private final String role;
  private final String stagingBucket;
  private final String storageIntegration;
  private final String snowpipe;
  private final String sqlExecutorClass;
  private final int flushSeconds;
  private final int shards;

  private SnowflakeConfig(Map<String, String> env, Overrides o, URI uri) {
    List<String> path = new ArrayList<>();
    if (uri != null && uri.getPath() != null) {
      for (String part : uri.getPath().split("/")) {
        if (!part.isEmpty()) {
          path.add(part);
        }
      }
    }
    this.account = pick(o.account(), uri == null ? null : uri.getHost(), env.get("SNOWFLAKE_ACCOUNT"));
    this.user = pick(o.user(), env.get("SNOWFLAKE_LOAD_USER"));
    this.password = blankToNull(env.get("SNOWFLAKE_LOAD_PASSWORD"));
    this.privateKeyFile = pick(o.privateKeyFile(), env.get("SNOWFLAKE_LOAD_PRIVATE_KEY_FILE"));
    this.privateKeyPassphrase = blankToNull(env.get("SNOWFLAKE_LOAD_PRIVATE_KEY_PASSPHRASE"));
    this.database =
        pick(o.database(), path.size() > 0 ? path.get(0) : null, env.get("SNOWFLAKE_LOAD_DATABASE"));
    String s = pick(o.schema(), path.size() > 1 ? path.get(1) : null, env.get("SNOWFLAKE_LOAD_SCHEMA"));
    this.schema = s == null ? "PUBLIC" : s;
    this.warehouse = pick(o.warehouse(), env.get("SNOWFLAKE_LOAD_WAREHOUSE"));
    this.role = pick(o.role(), env.get("SNOWFLAKE_LOAD_ROLE"));
    String bucket = pick(o.stagingBucket(), env.get("SNOWFLAKE_STAGING_BUCKET"));
    this.stagingBucket = bucket == null || bucket.endsWith("/") ? bucket : bucket + "/";
    this.storageIntegration =
        pick(o.storageIntegration(), env.get("SNOWFLAKE_STORAGE_INTEGRATION"));
    this.snowpipe = pick(o.snowpipe(), env.get("SNOWFLAKE_SNOWPIPE"));
    this.sqlExecutorClass = blankToNull(o.sqlExecutorClass());
    this.flushSeconds = o.flushSeconds() == null ? DEFAULT_FLUSH_SECONDS : o.flushSeconds();
    this.shards = o.shards() == null ? DEFAULT_SHARDS : o.shards();
  }

  /**
   * Reads {@code --warehouse=snowflake://ACCOUNT/DATABASE/SCHEMA} (every part optional), the
   * environment and the options; checks that a batch load has what it needs, and says which
   * variable or option is missing.
   */
  public static SnowflakeConfig parse(String warehouseValue, Map<String, String> env, Overrides o) {
    URI uri = null;
    String v = warehouseValue == null ? "" : warehouseValue.trim();
    if (v.toLowerCase(Locale.ROOT).startsWith("snowflake://")) {
      try {
        uri = new URI(v);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "--warehouse=" + v + ": not a snowflake://ACCOUNT/DATABASE/SCHEMA URL: " + e.getMessage());
      }
    } else if (!v.equalsIgnoreCase("snowflake")) {
      throw new IllegalArgumentException(
          "--warehouse=" + v + ": a Snowflake warehouse is snowflake or snowflake://ACCOUNT/DATABASE/SCHEMA");
    }
    if (uri != null) {
      String path = uri.getPath() == null ? "" : uri.getPath();
      long parts = java.util.Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).count();
      if (uri.getHost() == null && uri.getRawAuthority() != null) {
        throw new IllegalArgumentException(
            "--warehouse=" + v + ": '" + uri.getRawAuthority() + "' is not a Snowflake account identifier");
      }
      if (parts > 2 || uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
        throw new IllegalArgumentException(
            "--warehouse=" + v + ": a Snowflake warehouse is snowflake://ACCOUNT/DATABASE/SCHEMA"
                + " (no more path parts, no query, user or fragment; credentials come from the environment)");
      }
    }
    SnowflakeConfig c = new SnowflakeConfig(env, o, uri);
    c.validate();
    return c;
  }

  /** A plain (unquoted) Snowflake identifier. */
  static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_$]*";

  private void validate() {
    List<String> missing = new ArrayList<>();
    if (account == null) {
      missing.add("account (SNOWFLAKE_ACCOUNT or --snowflakeAccount)");
    }
    if (user == null) {
      missing.add("user (SNOWFLAKE_LOAD_USER or --snowflakeUser)");
    }
    if (password == null && privateKeyFile == null) {
      missing.add(
          "credentials (SNOWFLAKE_LOAD_PASSWORD, or SNOWFLAKE_LOAD_PRIVATE_KEY_FILE /"
              + " --snowflakePrivateKeyFile)");
    }
    if (database == null) {
      missing.add("database (SNOWFLAKE_LOAD_DATABASE, --snowflakeDatabase or snowflake://ACCOUNT/DATABASE)");
    }
    if (warehouse == null) {
      missing.add("warehouse (SNOWFLAKE_LOAD_WAREHOUSE or --snowflakeWarehouse)");
    }
    if (stagingBucket == null) {
      missing.add("staging bucket (SNOWFLAKE_STAGING_BUCKET or --snowflakeStagingBucket)");
    }
    if (storageIntegration == null) {
      missing.add("storage integration (SNOWFLAKE_STORAGE_INTEGRATION or --snowflakeStorageIntegration)");
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "--warehouse=snowflake: missing " + String.join(", ", missing));
    }
    if (!stagingBucket.startsWith("s3://") && !stagingBucket.startsWith("gs://")
        && !stagingBucket.startsWith("/") && !stagingBucket.startsWith("file:")) {
      throw new IllegalArgumentException(
          "--snowflakeStagingBucket=" + stagingBucket + ": must be s3://bucket/prefix/ (or gs://…)");
    }
    for (String[] ident :
        new String[][] {
          {"--snowflakeStorageIntegration", storageIntegration},
          {"--snowflakeDatabase", database},
          {"--snowflakeSchema", schema},
          {"--snowflakeWarehouse", warehouse}
        }) {
      if (!ident[1].matches(IDENTIFIER)) {
        throw new IllegalArgumentException(
            ident[0] + "=" + ident[1] + ": not a plain Snowflake identifier (letters, digits, _ and $)");
      }
    }
    // Names that end up in URLs, connection properties and SQL: strict patterns, checked before
    // anything is built (an account like "evil.example/x#" would move the connection elsewhere).
    if (!account.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      throw new IllegalArgumentException(
          "--snowflakeAccount=" + account + ": not a Snowflake account identifier (letters, digits, _ . -)");
    }
    if (!user.matches("[A-Za-z0-9_.@$-]+")) {
      throw new IllegalArgumentException(
          "--snowflakeUser=" + user + ": not a plain Snowflake user name (letters, digits, _ . @ $ -)");
    }
    if (role != null && !role.matches(IDENTIFIER)) {
      throw new IllegalArgumentException(
          "--snowflakeRole=" + role + ": not a plain Snowflake identifier (letters, digits, _ and $)");
    }
    if (snowpipe != null && !snowpipe.matches(IDENTIFIER + "(\\." + IDENTIFIER + "){0,2}")) {
      throw new IllegalArgumentException(
          "--snowflakeSnowpipe=" + snowpipe + ": not a pipe name ([DATABASE.][SCHEMA.]PIPE of plain identifiers)");
    }
    if (privateKeyFile != null) {
      KeyPairs.load(privateKeyFile, privateKeyPassphrase); // fails early with the file named
    }
    if (flushSeconds < 1 || shards < 1 || shards > 64) {
      throw new IllegalArgumentException(
          "--snowflakeFlushSeconds=" + flushSeconds + " / --snowflakeShards=" + shards
              + ": the flush interval is at least 1 s and the shards 1..64");
    }
  }

  /**
   * A streaming run loads through Snowpipe, whose REST API accepts key-pair authentication only:
   * fails, naming the variable and option, when no private key is configured.
   */
  public void checkStreaming() {
    if (privateKeyFile == null) {
      throw new IllegalArgumentException(
          "--warehouse=snowflake in streaming (no --from/--to): Snowpipe accepts key-pair"
              + " authentication only; set SNOWFLAKE_LOAD_PRIVATE_KEY_FILE or"
              + " --snowflakePrivateKeyFile (a password is not enough)");
    }
  }

  private static String pick(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return null;
  }

  private static String blankToNull(String v) {
    return v == null || v.isEmpty() ? null : v;
  }

  public String account() {
    return account;
  }

  public String user() {
    return user;
  }

  /** The password; never log it. Null with key-pair authentication. */
  public String password() {
    return password;
  }

  public String privateKeyFile() {
    return privateKeyFile;
  }

  /** The private key's passphrase; never log it. */
  public String privateKeyPassphrase() {
    return privateKeyPassphrase;
  }

  public String database() {
    return database;
  }

  public String schema() {
    return schema;
  }

  public String warehouse() {
    return warehouse;
  }

  public String role() {
    return role;
  }

  /** Staging location for the load files, ending in '/'. */
  public String stagingBucket() {
    return stagingBucket;
  }

  public String storageIntegration() {
    return storageIntegration;
  }

  /** The raw-event pipe (default {@code security_pings_pipe}, see ddl.sql). */
  public String snowpipe() {
    return snowpipe == null ? SnowflakeSql.pipe(RawPings.TABLE) : snowpipe;
  }

  /** Streaming: seconds between Snowpipe flushes (files staged and handed to the pipe). */
  public int flushSeconds() {
    return flushSeconds;
  }

  /** Streaming: files per flush and table. */
  public int shards() {
    return shards;
  }

  /** Test hook: a {@link SnowflakeSqlExecutor} class used instead of the Snowflake JDBC driver. */
  public String sqlExecutorClass() {
    return sqlExecutorClass;
  }

  /** The host name of the account, {@code <account>.snowflakecomputing.com}. */
  public String serverName() {
    return account.contains(".snowflakecomputing.com") ? account : account + ".snowflakecomputing.com";
  }

  @Override
  public String toString() {
    return "snowflake://"
        + account
        + "/"
        + database
        + "/"
        + schema
        + " (user "
        + user
        + ", "
        + (privateKeyFile != null ? "key pair " + privateKeyFile : "password ***")
        + ", warehouse "
        + warehouse
        + (role == null ? "" : ", role " + role)
        + ", staging "
        + stagingBucket
        + " via "
        + storageIntegration
        + ")";
  }
}
