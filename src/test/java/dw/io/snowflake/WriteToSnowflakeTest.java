package dw.io.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.warehouse.Column;
import dw.io.warehouse.ColumnType;
import dw.io.warehouse.TableBinding;
import dw.io.warehouse.TableSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Beam SnowflakeIO 2.52 on Beam 2.70 (DirectRunner) with our load-and-merge services: asserts on
 * the real staged files (gzip, CSV columns, escaping of commas, quotes and newlines, NULL vs
 * empty), on the exact SQL sent to Snowflake, and on the merged rows, loaded into PostgreSQL by
 * {@link PostgresSnowflakeEmulator} as Snowflake's COPY INTO would.
 */
class WriteToSnowflakeTest {
  static final String BASE_URL =
      System.getenv().getOrDefault("DW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  static final String SCHEMA = "dw_sf_" + Long.toHexString(System.nanoTime());
  static final Instant AT = Instant.parse("2026-09-01T10:15:30.123456Z");

  static final TableSpec NOTES =
      TableSpec.upsert(
          "sf_notes",
          List.of(
              Column.key("id", ColumnType.TEXT),
              Column.of("note", ColumnType.TEXT),
              Column.of("n", ColumnType.BIGINT),
              Column.of("empty", ColumnType.BOOLEAN),
              Column.of("day", ColumnType.DATE),
              Column.of("at", ColumnType.TIMESTAMP)),
          "id");

  static final TableSpec SNAPSHOTS =
      TableSpec.replaceScope(
          "sf_snapshots",
          List.of(Column.key("day", ColumnType.DATE), Column.key("k", ColumnType.TEXT), Column.of("v", ColumnType.BIGINT)),
          "day",
          "day",
          "k");

  @TempDir Path stage;

  @BeforeAll
  static void schema() throws Exception {
    try (Connection c = DriverManager.getConnection(BASE_URL);
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + SCHEMA);
    }
    System.setProperty(PostgresSnowflakeEmulator.URL_PROPERTY, BASE_URL + "&currentSchema=" + SCHEMA);
  }

  @AfterAll
  static void drop() throws Exception {
    try (Connection c = DriverManager.getConnection(BASE_URL);
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  @BeforeEach
  void clear() {
    PostgresSnowflakeEmulator.STATEMENTS.clear();
  }

  SnowflakeConfig config() {
    return SnowflakeConfig.parse(
        "snowflake://acme-test/ANALYTICS/PUBLIC",
        Map.of(
            "SNOWFLAKE_LOAD_USER", "LOADER",
            "SNOWFLAKE_LOAD_PASSWORD", "pw",
            "SNOWFLAKE_LOAD_WAREHOUSE", "LOAD_WH",
            "SNOWFLAKE_STAGING_BUCKET", stage.toString(),
            "SNOWFLAKE_STORAGE_INTEGRATION", "DW_S3"),
        new SnowflakeConfig.Overrides(
            null, null, null, null, null, null, null, null, null, null,
            PostgresSnowflakeEmulator.class.getName()));
  }

  static final class NotesBinding implements TableBinding<KV<String, String>> {
    @Override
    public TableSpec spec() {
      return NOTES;
    }

    @Override
    public void rows(KV<String, String> e, Consumer<Object[]> out) {
      String note = e.getValue();
      out.accept(
          new Object[] {
            e.getKey(),
            note,
            note == null ? null : (long) note.length(),
            note == null ? null : note.isEmpty(),
            LocalDate.parse("2026-09-01"),
            AT
          });
    }
  }

  /** Key: the day; value: "k=v;k=v" (empty: an empty snapshot). */
  static final class SnapshotBinding implements TableBinding<KV<String, String>> {
    @Override
    public TableSpec spec() {
      return SNAPSHOTS;
    }

    @Override
    public void rows(KV<String, String> e, Consumer<Object[]> out) {
      for (String kv : e.getValue().split(";")) {
        if (!kv.isEmpty()) {
          String[] p = kv.split("=");
          out.accept(new Object[] {LocalDate.parse(e.getKey()), p[0], Long.parseLong(p[1])});
        }
      }
    }

    @Override
    public Object scope(KV<String, String> e) {
      return LocalDate.parse(e.getKey());
    }
  }

  private String run(TableBinding<KV<String, String>> binding, List<KV<String, String>> elements) {
    SnowflakeConfig cfg = config();
    WriteToWarehouseHelper.ensure(cfg, binding.spec());
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner", "--enforceImmutability=false").create());
    WriteToSnowflake<KV<String, String>> write = WriteToSnowflake.to(cfg, binding);
    p.apply(Create.of(elements).withCoder(KvCoder.of(StringUtf8Coder.of(), NullableCoder.of(StringUtf8Coder.of()))))
        .apply(write);
    p.run().waitUntilFinish();
    return write.stagingDir();
  }

  static List<String> query(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(BASE_URL + "&currentSchema=" + SCHEMA);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        out.add(String.join("|", row));
      }
    }
    return out;
  }

  @Test
  void stagesGzipCsvThatCopyIntoReadsBackExactlyAndMergesOnTheKey() throws Exception {
    List<KV<String, String>> notes =
        List.of(
            KV.of("comma", "a,b"),
            KV.of("quote", "it's \"quoted\""),
            KV.of("newline", "line1\nline2\r\nline3"),
            KV.of("empty", ""),
            KV.of("null", null),
            KV.of("backslash", "C:\\dir\\"));
    String dir = run(new NotesBinding(), notes);

    // The staged files: gzip CSV under <bucket>/<table>/<run>/, one record per row.
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of(dir))) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    assertTrue(!files.isEmpty(), "staged files in " + dir);
    StringBuilder all = new StringBuilder();
    for (Path f : files) {
      assertTrue(f.getFileName().toString().endsWith(".csv.gz"), f.toString());
      all.append(PostgresSnowflakeEmulator.readGzip(f));
    }
    String ts = "'2026-09-01 10:15:30.123456'";
    // each record ends with its version: emitted at (UTC, microseconds) and pane index 0
    String version = ",'\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}','0'\n";
    List<String> expectedRecords =
        List.of(
            "'backslash','C:\\dir\\','7','false','2026-09-01'," + ts,
            "'comma','a,b','3','false','2026-09-01'," + ts,
            "'empty','','0','true','2026-09-01'," + ts,
            "'newline','line1\nline2\r\nline3','18','false','2026-09-01'," + ts,
            "'null',,,,'2026-09-01'," + ts,
            "'quote','it''s \"quoted\"','13','false','2026-09-01'," + ts);
    List<String> records = new ArrayList<>();
    for (List<String> r : PostgresSnowflakeEmulator.parse(all.toString())) {
      records.add(r.get(0));
    }
    assertEquals(6, records.size(), all.toString());
    String text = all.toString();
    for (String rec : expectedRecords) {
      assertTrue(
          java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(rec) + version).matcher(text).find(),
          "staged CSV has " + rec + " and a version\nin:\n" + text);
    }

    // The exact SQL: DDL, then one transaction of clear, COPY INTO, MERGE.
    List<String> names = new ArrayList<>();
    for (Path f : files) {
      names.add("'" + f.getFileName() + "'");
    }
    List<String> sql = PostgresSnowflakeEmulator.STATEMENTS;
    assertEquals(
        List.of(
            "CREATE TABLE IF NOT EXISTS sf_notes (\n  id VARCHAR NOT NULL,\n  note VARCHAR,\n  n BIGINT,\n"
                + "  empty BOOLEAN,\n  day DATE,\n  at TIMESTAMP_NTZ,\n  _emitted_at TIMESTAMP_NTZ,\n  _pane BIGINT,\n"
                + "  PRIMARY KEY (id)\n)",
            "CREATE TRANSIENT TABLE IF NOT EXISTS sf_notes_load (\n  id VARCHAR,\n  note VARCHAR,\n  n BIGINT,\n"
                + "  empty BOOLEAN,\n  day DATE,\n  at TIMESTAMP_NTZ,\n  _emitted_at TIMESTAMP_NTZ,\n  _pane BIGINT\n)",
            "DELETE FROM sf_notes_load",
            "COPY INTO sf_notes_load (id, note, n, empty, day, at, _emitted_at, _pane) FROM '" + dir + "'"
                + " STORAGE_INTEGRATION = DW_S3 FILES = (" + String.join(", ", names) + ")"
                + " FILE_FORMAT = (TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = ','"
                + " FIELD_OPTIONALLY_ENCLOSED_BY = '0x27' EMPTY_FIELD_AS_NULL = TRUE"
                + " ESCAPE_UNENCLOSED_FIELD = NONE) ON_ERROR = ABORT_STATEMENT",
            "MERGE INTO sf_notes t USING (SELECT id, note, n, empty, day, at, _emitted_at, _pane FROM (SELECT l.*,"
                + " ROW_NUMBER() OVER (PARTITION BY id ORDER BY _emitted_at DESC, _pane DESC) AS _rn FROM sf_notes_load l) d"
                + " WHERE _rn = 1) s ON t.id = s.id WHEN MATCHED AND (t._emitted_at IS NULL OR s._emitted_at > t._emitted_at"
                + " OR (s._emitted_at = t._emitted_at AND s._pane >= t._pane)) THEN UPDATE SET note = s.note, n = s.n,"
                + " empty = s.empty, day = s.day, at = s.at, _emitted_at = s._emitted_at, _pane = s._pane"
                + " WHEN NOT MATCHED THEN INSERT (id, note, n, empty, day, at, _emitted_at, _pane)"
                + " VALUES (s.id, s.note, s.n, s.empty, s.day, s.at, s._emitted_at, s._pane)"),
        sql);

    // The rows, read back: quotes, commas, newlines, NULL and '' survive.
    List<String> rows = query("SELECT id, note IS NULL, note, n, empty, day, at FROM sf_notes ORDER BY id");
    assertEquals(
        List.of(
            "backslash|f|C:\\dir\\|7|f|2026-09-01|2026-09-01 10:15:30.123456",
            "comma|f|a,b|3|f|2026-09-01|2026-09-01 10:15:30.123456",
            "empty|f||0|t|2026-09-01|2026-09-01 10:15:30.123456",
            "newline|f|line1\nline2\r\nline3|18|f|2026-09-01|2026-09-01 10:15:30.123456",
            "null|t|null|null|null|2026-09-01|2026-09-01 10:15:30.123456",
            "quote|f|it's \"quoted\"|13|f|2026-09-01|2026-09-01 10:15:30.123456"),
        rows);

    // A second load replaces rows on the key and adds new ones; nothing is duplicated.
    run(new NotesBinding(), List.of(KV.of("comma", "x"), KV.of("new", "y")));
    assertEquals(
        List.of("backslash|C:\\dir\\", "comma|x", "empty|", "new|y", "newline|line1\nline2\r\nline3", "null|null", "quote|it's \"quoted\""),
        query("SELECT id, note FROM sf_notes ORDER BY id"));
  }

  @Test
  void replaceScopeTablesDeleteTheScopeThenInsertTheSnapshotEvenWhenEmpty() throws Exception {
    run(new SnapshotBinding(), List.of(KV.of("2026-09-01", "a=1;b=2"), KV.of("2026-09-02", "c=3")));
    assertEquals(
        List.of("2026-09-01|a|1", "2026-09-01|b|2", "2026-09-02|c|3"),
        query("SELECT day, k, v FROM sf_snapshots ORDER BY 1, 2"));
    PostgresSnowflakeEmulator.STATEMENTS.clear();
    run(new SnapshotBinding(), List.of(KV.of("2026-09-01", ""), KV.of("2026-09-02", "c=4;d=5")));
    assertEquals(List.of("2026-09-02|c|4", "2026-09-02|d|5"), query("SELECT day, k, v FROM sf_snapshots ORDER BY 1, 2"));
    List<String> sql = PostgresSnowflakeEmulator.STATEMENTS;
    String latest =
        "(SELECT day, _emitted_at, _pane FROM (SELECT m.day, m._emitted_at, m._pane, ROW_NUMBER() OVER"
            + " (PARTITION BY m.day ORDER BY m._emitted_at DESC, m._pane DESC) AS _rn FROM sf_snapshots_load m"
            + " LEFT JOIN (SELECT day, _emitted_at, _pane, COUNT(*) AS _n FROM sf_snapshots_load WHERE NOT _marker"
            + " GROUP BY day, _emitted_at, _pane) r ON r.day = m.day AND r._emitted_at = m._emitted_at AND r._pane ="
            + " m._pane WHERE m._marker AND m._rows = COALESCE(r._n, 0)) c WHERE _rn = 1)";
    assertEquals(
        "DELETE FROM sf_snapshots t USING " + latest + " s WHERE t.day = s.day AND (t._emitted_at IS NULL OR"
            + " s._emitted_at > t._emitted_at OR (s._emitted_at = t._emitted_at AND s._pane >= t._pane))",
        sql.get(sql.size() - 2));
    assertEquals(
        "INSERT INTO sf_snapshots (day, k, v, _emitted_at, _pane) SELECT d.day, d.k, d.v, d._emitted_at, d._pane"
            + " FROM sf_snapshots_load d JOIN " + latest + " s ON d.day = s.day AND d._emitted_at = s._emitted_at"
            + " AND d._pane = s._pane WHERE NOT d._marker AND NOT EXISTS (SELECT 1 FROM sf_snapshots t WHERE t.day = d.day)",
        sql.get(sql.size() - 1));
  }
}
