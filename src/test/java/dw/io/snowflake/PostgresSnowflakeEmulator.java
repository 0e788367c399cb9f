package dw.io.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.warehouse.TableSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Test double at the Snowflake network boundary: runs the sink's statements in one PostgreSQL
 * transaction, and plays Snowpipe and the merge tasks (see below). {@code COPY INTO} is emulated as Snowflake would run it with the file format the
 * sink sends (gzip CSV, fields optionally enclosed in single quotes with a doubled quote inside,
 * empty unenclosed field = NULL, column count must match): it reads the real staged files. DDL is
 * translated (TRANSIENT dropped, TIMESTAMP_NTZ → TIMESTAMP); MERGE, DELETE … USING and INSERT …
 * SELECT run verbatim. Every statement is recorded. The PostgreSQL URL (with currentSchema) comes
 * from the system property {@value #URL_PROPERTY}.
 *
 * <p>Streaming objects of ddl.sql: {@code CREATE PIPE} is remembered (its COPY INTO defines how
 * {@link #ingest} loads the files SnowflakeIO hands to the pipe: same parser, same checks, the
 * stage path must be the folder the files were staged in); {@code CREATE STREAM … ON TABLE X
 * APPEND_ONLY = TRUE} adds a hidden sequence and a consumed flag to X; {@code CREATE TASK} is
 * remembered and {@link #runTasks} runs each body verbatim in one REPEATABLE READ transaction in
 * which the stream is a temporary table of X's unconsumed rows, and marks exactly those rows
 * consumed when it commits (a DML statement consuming a Snowflake stream advances its offset on
 * commit; rows that Snowpipe commits meanwhile wait for the next run).
 */
public final class PostgresSnowflakeEmulator implements SnowflakeSqlExecutor, Snowpipe.Ingest {
  public static final String URL_PROPERTY = "dw.test.snowflake.pgUrl";
  public static final List<String> STATEMENTS = Collections.synchronizedList(new ArrayList<>());
  static final String FILE_FORMAT =
      "TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = ',' FIELD_OPTIONALLY_ENCLOSED_BY = '0x27'"
          + " EMPTY_FIELD_AS_NULL = TRUE ESCAPE_UNENCLOSED_FIELD = NONE";
  private static final Pattern COPY =
      Pattern.compile(
          "COPY INTO (\\w+) \\(([^)]*)\\) FROM '([^']*)' STORAGE_INTEGRATION = (\\w+) FILES = \\((.*?)\\)"
              + " FILE_FORMAT = \\((.*)\\) ON_ERROR = ABORT_STATEMENT");

  private static final Pattern PIPE =
      Pattern.compile(
          "CREATE PIPE IF NOT EXISTS (\\w+) AUTO_INGEST = FALSE AS COPY INTO (\\w+) \\(([^)]*)\\)"
              + " FROM @" + SnowflakeSql.STAGE + "/(\\S*) FILE_FORMAT = \\((.*)\\)");
  private static final Pattern STREAM =
      Pattern.compile("CREATE STREAM IF NOT EXISTS (\\w+) ON TABLE (\\w+) APPEND_ONLY = TRUE");
  private static final Pattern TASK =
      Pattern.compile("(?s)CREATE TASK IF NOT EXISTS (\\w+) .*? AS\n(.*)");
  private static final Pattern RESUME = Pattern.compile("ALTER TASK (\\w+) RESUME");

  record Pipe(String table, String[] columns, String path) {}

  /**
   * Pipes, streams (name → table) and resumed tasks (name → body) created so far, per emulated
   * account (the PostgreSQL URL: each test class has its own schema).
   */
  private static final Map<String, Map<String, Pipe>> PIPES = new ConcurrentHashMap<>();
  private static final Map<String, Map<String, String>> STREAMS = new ConcurrentHashMap<>();
  private static final Map<String, Map<String, String>> TASKS = new ConcurrentHashMap<>();
  private static final Map<String, Map<String, String>> RESUMED = new ConcurrentHashMap<>();

  private static <V> Map<String, V> of(Map<String, Map<String, V>> perAccount) {
    return perAccount.computeIfAbsent(url(), k -> new ConcurrentHashMap<>());
  }

  /** The tasks resumed in the current emulated account. */
  public static java.util.Set<String> resumedTasks() {
    return of(RESUMED).keySet();
  }
  /** Every insertFiles call per emulated account: pipe, then the file names as sent. */
  private static final Map<String, List<List<String>>> INGESTED = new ConcurrentHashMap<>();

  /** The insertFiles calls of the current emulated account (each: pipe, then the file names). */
  public static List<List<String>> ingested() {
    return INGESTED.computeIfAbsent(url(), k -> Collections.synchronizedList(new ArrayList<>()));
  }
  /**
   * Files handed to a pipe that had loaded a file of that name before: Snowpipe skips them (its
   * load history is per path, 14 days), so each is data lost in Snowflake. Tests assert none.
   */
  public static final List<String> SKIPPED_AS_LOADED = Collections.synchronizedList(new ArrayList<>());
  private static final Set<String> LOADED = ConcurrentHashMap.newKeySet();

  private static String url() {
    String url = System.getProperty(URL_PROPERTY);
    if (url == null) {
      throw new IllegalStateException("set " + URL_PROPERTY);
    }
    return url + "&stringtype=unspecified";
  }

  private static String translate(String sql) {
    return sql.replace("CREATE TRANSIENT TABLE", "CREATE TABLE").replace("TIMESTAMP_NTZ", "TIMESTAMP");
  }

  /** Snowpipe's insertFiles: loads the files as the pipe's COPY INTO does, in one transaction. */
  @Override
  public void ingest(SnowflakeConfig config, String pipe, String stagingDir, List<String> files)
      throws Exception {
    Pipe p = of(PIPES).get(pipe);
    if (p == null) {
      throw new IllegalStateException("insertFiles: pipe " + pipe + " does not exist");
    }
    assertEquals(config.stagingBucket() + p.path(), stagingDir, "pipe " + pipe + " reads the staged folder");
    List<String> call = new ArrayList<>();
    call.add(pipe);
    call.addAll(files);
    ingested().add(call);
    List<String> quoted = new ArrayList<>();
    for (String f : files) {
      if (LOADED.add(stagingDir + f)) {
        quoted.add("'" + f + "'");
      } else {
        SKIPPED_AS_LOADED.add(stagingDir + f);
      }
    }
    if (quoted.isEmpty()) {
      return;
    }
    try (Connection c = DriverManager.getConnection(url())) {
      c.setAutoCommit(false);
      copyInto(c, p.table(), p.columns(), stagingDir, String.join(", ", quoted));
      c.commit();
    }
  }

  /** Runs every resumed task once (as its schedule would), each in its own transaction. */
  public static synchronized void runTasks() throws Exception {
    for (Map.Entry<String, String> t : new java.util.TreeMap<>(of(RESUMED)).entrySet()) {
      runTask(t.getValue());
    }
  }

  private static void runTask(String body) throws Exception {
    List<String> statements = new ArrayList<>();
    if (body.startsWith(SnowflakeSql.BLOCK_START) && body.endsWith(SnowflakeSql.BLOCK_END)) {
      String inner =
          body.substring(SnowflakeSql.BLOCK_START.length(), body.length() - SnowflakeSql.BLOCK_END.length());
      for (String s : inner.split(";\n")) {
        if (!s.isBlank()) {
          statements.add(s.strip());
        }
      }
    } else {
      statements.add(body);
    }
    try (Connection c = DriverManager.getConnection(url())) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement st = c.createStatement()) {
        List<String> used = new ArrayList<>();
        for (Map.Entry<String, String> s : of(STREAMS).entrySet()) {
          if (body.contains(s.getKey())) {
            used.add(s.getKey());
            st.execute(
                "CREATE TEMP TABLE " + s.getKey() + " ON COMMIT DROP AS SELECT * FROM "
                    + s.getValue() + " WHERE NOT _consumed");
          }
        }
        for (String sql : statements) {
          st.execute(translate(sql));
        }
        for (String s : used) {
          st.execute(
              "UPDATE " + of(STREAMS).get(s) + " SET _consumed = TRUE WHERE _seq IN (SELECT _seq FROM pg_temp." + s + ")");
        }
      }
      c.commit();
    }
  }

  /**
   * After a streaming run in the current account: the pipes fed are exactly those of {@code
   * tables}' load tables and of {@code rawTables}; no file name was skipped as loaded; every file
   * staged under {@code <stagingBucket>/stream/} is gzip CSV (no temporary files left; the pipes
   * checked each file's columns); and once the tasks ran again, no loaded row waits in a stream.
   */
  public static void assertStreamedAndMerged(Path stagingBucket, List<TableSpec> tables, String... rawTables)
      throws Exception {
    Set<String> pipes = new java.util.TreeSet<>();
    for (List<String> call : ingested()) {
      pipes.add(call.get(0));
    }
    Set<String> expected = new java.util.TreeSet<>();
    for (String raw : rawTables) {
      expected.add(SnowflakeSql.pipe(raw));
    }
    for (TableSpec t : tables) {
      expected.add(SnowflakeSql.pipe(SnowflakeSql.loadTable(t)));
    }
    assertEquals(expected, pipes, "pipes that got files");
    assertEquals(List.of(), SKIPPED_AS_LOADED, "file names Snowpipe would skip as loaded");
    try (java.util.stream.Stream<Path> s = Files.walk(stagingBucket.resolve(SnowflakeSql.STREAM_DIR))) {
      List<Path> staged = s.filter(Files::isRegularFile).toList();
      assertTrue(!staged.isEmpty(), "staged files");
      for (Path f : staged) {
        assertTrue(f.getFileName().toString().endsWith(".csv.gz"), f.toString());
      }
    }
    runTasks();
    try (Connection c = DriverManager.getConnection(url());
        Statement st = c.createStatement()) {
      for (TableSpec t : tables) {
        try (java.sql.ResultSet rs =
            st.executeQuery("SELECT COUNT(*) FROM " + SnowflakeSql.loadTable(t) + " WHERE NOT _consumed")) {
          rs.next();
          assertEquals(0, rs.getLong(1), t.name() + ": rows not merged");
        }
      }
    }
  }

  /**
   * Runs the generated part of ddl.sql in the current account, as an administrator does once
   * before streaming (tables, pipes, streams, tasks; {@link SnowflakeDdlTest#statements}).
   */
  public static void runDdlAsAdministrator() throws Exception {
    new PostgresSnowflakeEmulator().runInTransaction(null, SnowflakeDdlTest.statements());
  }

  @Override
  public void runInTransaction(SnowflakeConfig config, List<String> statements) throws Exception {
    STATEMENTS.addAll(statements);
    try (Connection c = DriverManager.getConnection(url())) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        for (String sql : statements) {
          Matcher m = COPY.matcher(sql);
          Matcher pipe = PIPE.matcher(sql);
          Matcher stream = STREAM.matcher(sql);
          Matcher task = TASK.matcher(sql);
          Matcher resume = RESUME.matcher(sql);
          if (pipe.matches()) {
            assertEquals(FILE_FORMAT, pipe.group(5), "file format the emulator implements");
            of(PIPES).put(pipe.group(1), new Pipe(pipe.group(2), pipe.group(3).split(", "), pipe.group(4)));
          } else if (stream.matches()) {
            of(STREAMS).put(stream.group(1), stream.group(2));
            st.execute(
                "ALTER TABLE " + stream.group(2) + " ADD COLUMN IF NOT EXISTS _seq BIGSERIAL,"
                    + " ADD COLUMN IF NOT EXISTS _consumed BOOLEAN NOT NULL DEFAULT FALSE");
          } else if (task.matches()) {
            of(TASKS).put(task.group(1), task.group(2));
          } else if (resume.matches()) {
            String body = of(TASKS).get(resume.group(1));
            if (body == null) {
              throw new IllegalStateException("no task " + resume.group(1));
            }
            of(RESUMED).put(resume.group(1), body);
          } else if (sql.startsWith("COPY INTO")) {
            if (!m.matches()) {
              throw new IllegalArgumentException("unexpected COPY statement: " + sql);
            }
            assertEquals(FILE_FORMAT, m.group(6), "file format the emulator implements");
            copyInto(c, m.group(1), m.group(2).split(", "), m.group(3), m.group(5));
          } else {
            st.execute(translate(sql));
          }
        }
      }
      c.commit();
    }
  }

  private static void copyInto(Connection c, String table, String[] cols, String dir, String fileList)
      throws Exception {
    String placeholders = String.join(", ", Collections.nCopies(cols.length, "?"));
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO " + table + " (" + String.join(", ", cols) + ") VALUES (" + placeholders + ")")) {
      for (String quoted : fileList.split(", ")) {
        String name = quoted.substring(1, quoted.length() - 1);
        for (List<String> rec : parse(readGzip(Path.of(dir, name)))) {
          if (rec.size() != cols.length) {
            throw new IllegalStateException(
                name + ": Number of columns in file (" + rec.size() + ") does not match that of the"
                    + " corresponding table (" + cols.length + ")");
          }
          for (int i = 0; i < cols.length; i++) {
            ps.setString(i + 1, rec.get(i));
          }
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /** The file's text; fails unless it is gzip. */
  static String readGzip(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
      throw new IOException(file + ": not gzip (COMPRESSION = GZIP)");
    }
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** Snowflake's CSV reading for the sink's file format; null for an empty unenclosed field. */
  static List<List<String>> parse(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> rec = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      String value;
      if (text.charAt(i) == '\'') {
        StringBuilder sb = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalStateException("unterminated enclosed field");
          }
          char ch = text.charAt(i);
          if (ch == '\'') {
            if (i + 1 < n && text.charAt(i + 1) == '\'') {
              sb.append('\'');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          sb.append(ch);
          i++;
        }
        value = sb.toString();
      } else {
        int start = i;
        while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n') {
          i++;
        }
        value = i == start ? null : text.substring(start, i);
      }
      rec.add(value);
      if (i >= n || text.charAt(i) == '\n') {
        records.add(rec);
        rec = new ArrayList<>();
        i++;
      } else if (text.charAt(i) == ',') {
        i++;
        if (i >= n) {
          rec.add(null);
        }
      } else {
        throw new IllegalStateException("unexpected character after enclosed field at " + i);
      }
    }
    return records;
  }
}
