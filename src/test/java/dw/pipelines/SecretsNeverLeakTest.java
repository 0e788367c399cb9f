package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.testing.S3ProxyServer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret in any output. The job runs as in production, in a JVM of its own with its
 * credentials in the environment (INFO logging on), with recognisable fake values: the warehouse
 * password, the Snowflake password and private-key passphrase, the AWS secret key and the IP hash
 * key. Through a successful backfill into PostgreSQL and through failures (a refused S3 secret, an
 * unreachable warehouse, a bad Snowflake key, an unreachable Snowflake account), everything the
 * job prints (stdout, stderr, logs, exceptions), the summary file and every row of every table
 * (dead letters included) is scanned for each canary.
 */
class SecretsNeverLeakTest {
  static final String PG_PASSWORD = "CANARY-pg-pa55w0rd-7f3a";
  static final String SF_PASSWORD = "CANARY-sf-pa55w0rd-91bd";
  static final String SF_PASSPHRASE = "CANARY-sf-passphrase-c44e";
  static final String AWS_SECRET = "CANARY-aws-secret-key-5d0c";
  static final String IP_KEY = "CANARY-ip-hash-key-long-enough-1e2f";
  static final List<String> CANARIES = List.of(PG_PASSWORD, SF_PASSWORD, SF_PASSPHRASE, AWS_SECRET, IP_KEY);

  @TempDir static Path dir;
  static Path logs;
  static final String SCHEMA = "secrets_never_leak";

  @BeforeAll
  static void setUp() throws Exception {
    logs = dir.resolve("logs");
    GroundTruth.generateTwoDays(logs, 20, 9);
    // a hostile file too, so that dead letters are written and scanned
    Path bad = logs.resolve("EBAD/EBAD.2026-09-01-03.0000abcd.gz");
    Files.createDirectories(bad.getParent());
    Files.write(bad, HostileInputTest.gzip("2026-09-01\tbroken line\n"));
    TestPostgres.dropSchema(SCHEMA);
    TestPostgres.createSchema(SCHEMA);
  }

  @AfterAll
  static void drop() throws Exception {
    TestPostgres.dropSchema(SCHEMA);
  }

  record Child(int code, String output) {}

  /** Runs the CLI in a new JVM with {@code env} added to the environment; stdout+stderr merged. */
  static Child runChild(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("-Xmx")) {
        cmd.add(a);
      }
    }
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    cmd.add("-Ddw.flinkConfDir=" + System.getProperty("dw.flinkConfDir", ""));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Path out = Files.createTempFile(dir, "child", ".log");
    pb.redirectOutput(out.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(6, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the job did not end in 6 minutes: " + Files.readString(out));
    }
    return new Child(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  static void assertNoCanary(String what, String text) {
    for (String c : CANARIES) {
      assertFalse(text.contains(c), what + " contains the secret " + c + ":\n" + text);
    }
  }

  @Test
  void aSuccessfulBackfillShowsNoSecretAnywhere() throws Exception {
    Path summary = dir.resolve("summary.json");
    String url = TestPostgres.BASE_URL.replaceAll("[?&]user=[^&]*", "") + "?currentSchema=" + SCHEMA;
    Map<String, String> env = new HashMap<>();
    env.put("DW_WAREHOUSE_USER", "postgres");
    env.put("DW_WAREHOUSE_PASSWORD", PG_PASSWORD); // trust auth: accepted, never needed
    env.put("DW_IP_HASH_KEY", IP_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", AWS_SECRET);
    env.put("AWS_ACCESS_KEY_ID", "unused");
    env.put("SNOWFLAKE_LOAD_PASSWORD", SF_PASSWORD);
    Child c =
        runChild(
            env, "security-pings", "--input=" + logs, "--from=2026-09-01", "--to=2026-09-02",
            "--warehouse=" + url, "--summaryFile=" + summary, "--parallelism=2", "--storeNetwork=true");
    assertEquals(0, c.code(), c.output());
    assertNoCanary("the job's output", c.output());
    assertNoCanary("the summary", Files.readString(summary));
    String pg = TestPostgres.BASE_URL + "&currentSchema=" + SCHEMA;
    dw.io.warehouse.WarehouseUrl w = dw.io.warehouse.WarehouseUrl.parse(pg);
    long rows = 0;
    for (String t : List.of("security_server_daily", "security_daily_totals", "dead_letters")) {
      List<String> all = GroundTruth.query(w, "SELECT * FROM " + t);
      rows += all.size();
      assertNoCanary("table " + t, String.join("\n", all));
    }
    assertTrue(rows > 0, "nothing written");
    assertFalse(GroundTruth.query(w, "SELECT * FROM dead_letters").isEmpty(), "no dead letter to scan");
  }

  @Test
  void failuresShowNoSecret() throws Exception {
    // S3 refuses the secret key
    try (S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"))) {
      s3.createBucket("logs");
      Child c =
          runChild(
              Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.KEY, "AWS_SECRET_ACCESS_KEY", AWS_SECRET,
                  "DW_IP_HASH_KEY", IP_KEY),
              "security-pings", "--input=s3://logs/cloudfront", "--from=2026-09-01", "--to=2026-09-02",
              "--warehouse=" + dir.resolve("s3fail.duckdb"), "--awsRegion=us-east-1",
              "--endpoint=" + s3.endpoint(), "--s3PathStyle=true");
      assertNotEquals(0, c.code(), c.output());
      assertTrue(c.output().contains("s3://logs/cloudfront"), c.output());
      assertNoCanary("the S3 failure", c.output());
    }
    // the warehouse cannot be reached
    Child pg =
        runChild(
            Map.of("DW_WAREHOUSE_USER", "postgres", "DW_WAREHOUSE_PASSWORD", PG_PASSWORD, "DW_IP_HASH_KEY", IP_KEY),
            "security-pings", "--input=" + logs, "--from=2026-09-01", "--to=2026-09-02",
            "--warehouse=jdbc:postgresql://127.0.0.1:9/test?password=" + PG_PASSWORD);
    assertNotEquals(0, pg.code(), pg.output());
    assertNoCanary("the warehouse failure", pg.output());
    // a Snowflake key that is not a key, with a passphrase
    Path notAKey = dir.resolve("not-a-key.p8");
    Files.writeString(notAKey, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nbm90IGEga2V5\n-----END ENCRYPTED PRIVATE KEY-----\n");
    Map<String, String> sf = snowflakeEnv();
    sf.put("SNOWFLAKE_LOAD_PRIVATE_KEY_FILE", notAKey.toString());
    sf.put("SNOWFLAKE_LOAD_PRIVATE_KEY_PASSPHRASE", SF_PASSPHRASE);
    Child key =
        runChild(sf, "security-pings", "--input=" + logs, "--from=2026-09-01", "--to=2026-09-02",
            "--warehouse=snowflake");
    assertNotEquals(0, key.code(), key.output());
    assertTrue(key.output().contains(notAKey.toString()), key.output());
    assertNoCanary("the Snowflake key failure", key.output());
    // a Snowflake account that cannot be reached, with a password
    Child account =
        runChild(snowflakeEnv(), "security-pings", "--input=" + logs, "--from=2026-09-01", "--to=2026-09-02",
            "--warehouse=snowflake");
    assertNotEquals(0, account.code(), account.output());
    assertNoCanary("the Snowflake connection failure", account.output());
  }

  static Map<String, String> snowflakeEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("SNOWFLAKE_ACCOUNT", "canary-test.invalid");
    env.put("SNOWFLAKE_LOAD_USER", "LOADER");
    env.put("SNOWFLAKE_LOAD_PASSWORD", SF_PASSWORD);
    env.put("SNOWFLAKE_LOAD_DATABASE", "ANALYTICS");
    env.put("SNOWFLAKE_LOAD_WAREHOUSE", "LOAD_WH");
    env.put("SNOWFLAKE_STAGING_BUCKET", "s3://dw-staging/snowflake/");
    env.put("SNOWFLAKE_STORAGE_INTEGRATION", "DW_S3");
    env.put("DW_IP_HASH_KEY", IP_KEY);
    return env;
  }
}
