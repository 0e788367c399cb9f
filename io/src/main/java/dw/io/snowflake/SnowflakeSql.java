package dw.io.snowflake;

import dw.io.warehouse.Column;
import dw.io.warehouse.Dialect;
import dw.io.warehouse.TableSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL the Snowflake sink issues and the DDL of {@code dw/io/snowflake/ddl.sql}, generated from
 * a {@link TableSpec} (pinned in tests).
 *
 * <p>Each table {@code T} has a load table {@code T_load}: T's columns (all nullable, no key) plus
 * the row's version, {@value #EMITTED_AT} (when the pipeline emitted the element, UTC) and {@value
 * #PANE} (its Beam pane index): a row replaces the target row of its key only if its version is
 * not older ({@link #newer}), so re-runs and refinements replace rows and a pane that arrives
 * after a later one changes nothing. The target keeps the version of each row. REPLACE_SCOPE
 * tables also carry {@value #MARKER}/{@value #ROWS}: one marker row per snapshot with only the
 * scope value and the snapshot's row count, so an empty snapshot still clears its scope and a
 * snapshot whose rows are not all loaded yet is not applied.
 *
 * <p>Batch: one transaction empties T_load, {@code COPY INTO}s it, and merges it ({@link
 * #merge}). Streaming: Snowpipe ({@code T_load_pipe}) appends each flush's files to T_load; an
 * append-only stream {@code T_load_stream} holds the rows not merged yet, and a task {@code
 * T_merge_task} merges them on a schedule with the same statements, reading the stream instead of
 * the load table ({@link #taskBody}). A DML statement that reads a stream advances it when its
 * transaction commits, so every loaded row is merged once, whenever Snowpipe commits it. Snapshot
 * tables first move the stream into {@code T_pending}, where an incomplete snapshot waits for its
 * remaining rows.
 */
public final class SnowflakeSql {
  public static final String EMITTED_AT = "_emitted_at";
  public static final String PANE = "_pane";
  public static final String MARKER = "_marker";
  public static final String ROWS = "_rows";
  public static final String LOAD_SUFFIX = "_load";
  /** The external stage over the staging bucket, created once by an administrator (ddl.sql). */
  public static final String STAGE = "dw_stage";
  /** Where streaming files of a table are staged, relative to the staging bucket and the stage. */
  public static final String STREAM_DIR = "stream/";
  /** How often the merge tasks run. */
  public static final String TASK_SCHEDULE = "1 MINUTE";

  static final String FILE_FORMAT =
      "FILE_FORMAT = (TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = ','"
          + " FIELD_OPTIONALLY_ENCLOSED_BY = '0x27' EMPTY_FIELD_AS_NULL = TRUE"
          + " ESCAPE_UNENCLOSED_FIELD = NONE)";

  private SnowflakeSql() {}

  public static String loadTable(TableSpec spec) {
    return spec.name() + LOAD_SUFFIX;
  }

  public static String stream(TableSpec spec) {
    return loadTable(spec) + "_stream";
  }

  public static String pendingTable(TableSpec spec) {
    return spec.name() + "_pending";
  }

  public static String pipe(String table) {
    return table + "_pipe";
  }

  public static String task(TableSpec spec) {
    return spec.name() + "_merge_task";
  }

  /** The staging folder of a streamed table, relative to the staging bucket (and the stage). */
  public static String streamDir(String table) {
    return STREAM_DIR + table + "/";
  }

  /** Columns of the load table (and of each staged CSV record), in order. */
  public static List<String> loadColumns(TableSpec spec) {
    List<String> cols = new ArrayList<>(spec.columnNames());
    cols.add(EMITTED_AT);
    cols.add(PANE);
    if (spec.mode() == TableSpec.WriteMode.REPLACE_SCOPE) {
      cols.add(MARKER);
      cols.add(ROWS);
    }
    return cols;
  }

  /** Columns of the Snowflake target table: the spec's plus the version of each row. */
  static List<String> targetColumns(TableSpec spec) {
    List<String> cols = new ArrayList<>(spec.columnNames());
    cols.add(EMITTED_AT);
    cols.add(PANE);
    return cols;
  }

  public static String createTable(TableSpec spec) {
    return spec.createTableSql(Dialect.SNOWFLAKE)
        .replace("\n  PRIMARY KEY", "\n  " + EMITTED_AT + " TIMESTAMP_NTZ,\n  " + PANE + " BIGINT,\n  PRIMARY KEY");
  }

  /**
   * Adds the version columns to tables created by an earlier version of the sink (which had only
   * {@value #PANE} and {@value #MARKER} in the load tables).
   */
  public static List<String> upgradeTables(TableSpec spec) {
    List<String> out = new ArrayList<>();
    for (String t : List.of(spec.name(), loadTable(spec))) {
      out.add("ALTER TABLE " + t + " ADD COLUMN IF NOT EXISTS " + EMITTED_AT + " TIMESTAMP_NTZ");
      out.add("ALTER TABLE " + t + " ADD COLUMN IF NOT EXISTS " + PANE + " BIGINT");
    }
    if (spec.mode() == TableSpec.WriteMode.REPLACE_SCOPE) {
      out.add("ALTER TABLE " + loadTable(spec) + " ADD COLUMN IF NOT EXISTS " + ROWS + " BIGINT");
    }
    return out;
  }

  public static String createLoadTable(TableSpec spec) {
    return createLoadLike(spec, loadTable(spec));
  }

  private static String createLoadLike(TableSpec spec, String table) {
    StringBuilder sb = new StringBuilder("CREATE TRANSIENT TABLE IF NOT EXISTS ").append(table).append(" (");
    for (Column c : spec.columns()) {
      sb.append("\n  ").append(c.name()).append(' ').append(c.type().sqlType(Dialect.SNOWFLAKE)).append(',');
    }
    sb.append("\n  ").append(EMITTED_AT).append(" TIMESTAMP_NTZ,");
    sb.append("\n  ").append(PANE).append(" BIGINT");
    if (spec.mode() == TableSpec.WriteMode.REPLACE_SCOPE) {
      sb.append(",\n  ").append(MARKER).append(" BOOLEAN,");
      sb.append("\n  ").append(ROWS).append(" BIGINT");
    }
    return sb.append("\n)").toString();
  }

  public static String clearLoadTable(TableSpec spec) {
    return "DELETE FROM " + loadTable(spec);
  }

  /**
   * {@code COPY INTO} the load table from staged gzip CSV files: fields separated by commas,
   * strings enclosed in single quotes with an inner quote doubled (SnowflakeIO's CSV writer), an
   * empty unenclosed field is NULL, {@code ''} is the empty string. {@code stagingDir} ends in '/'
   * and {@code files} are names relative to it.
   */
  public static String copyInto(
      TableSpec spec, String stagingDir, String storageIntegration, List<String> files) {
    List<String> quoted = new ArrayList<>();
    for (String f : files) {
      quoted.add(literal(f));
    }
    return "COPY INTO "
        + loadTable(spec)
        + " ("
        + String.join(", ", loadColumns(spec))
        + ") FROM "
        + literal(stagingDir)
        + " STORAGE_INTEGRATION = "
        + storageIntegration
        + " FILES = ("
        + String.join(", ", quoted)
        + ") "
        + FILE_FORMAT
        + " ON_ERROR = ABORT_STATEMENT";
  }

  /** The statements that move a filled load table into the target (batch), in order. */
  public static List<String> merge(TableSpec spec) {
    return mergeFrom(spec, loadTable(spec));
  }

  /** Merges the rows of {@code source} (the load table, its stream, or the pending table). */
  static List<String> mergeFrom(TableSpec spec, String source) {
    if (spec.mode() == TableSpec.WriteMode.UPSERT) {
      return List.of(upsertMerge(spec, source));
    }
    return List.of(deleteOlderSnapshots(spec, source), insertSnapshots(spec, source));
  }

  /**
   * {@code s}'s version is not older than {@code t}'s (a row without a version, written before
   * versions existed, is older than any).
   */
  static String newer(String s, String t) {
    return "("
        + t + "." + EMITTED_AT + " IS NULL OR "
        + s + "." + EMITTED_AT + " > " + t + "." + EMITTED_AT + " OR ("
        + s + "." + EMITTED_AT + " = " + t + "." + EMITTED_AT + " AND "
        + s + "." + PANE + " >= " + t + "." + PANE + "))";
  }

  private static String newestFirst() {
    return EMITTED_AT + " DESC, " + PANE + " DESC";
  }

  static String upsertMerge(TableSpec spec, String source) {
    List<String> cols = targetColumns(spec);
    List<String> on = new ArrayList<>();
    for (String k : spec.keyColumns()) {
      on.add("t." + k + " = s." + k);
    }
    List<String> sets = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (String c : cols) {
      if (!spec.keyColumns().contains(c)) {
        sets.add(c + " = s." + c);
      }
      values.add("s." + c);
    }
    return "MERGE INTO "
        + spec.name()
        + " t USING (SELECT "
        + String.join(", ", cols)
        + " FROM (SELECT l.*, ROW_NUMBER() OVER (PARTITION BY "
        + String.join(", ", spec.keyColumns())
        + " ORDER BY "
        + newestFirst()
        + ") AS _rn FROM "
        + source
        + " l) d WHERE _rn = 1) s ON "
        + String.join(" AND ", on)
        + " WHEN MATCHED AND "
        + newer("s", "t")
        + " THEN UPDATE SET "
        + String.join(", ", sets)
        + " WHEN NOT MATCHED THEN INSERT ("
        + String.join(", ", cols)
        + ") VALUES ("
        + String.join(", ", values)
        + ")";
  }

  /**
   * Per scope, the version of its newest complete snapshot in {@code source}: a marker whose row
   * count equals the rows of its version present.
   */
  static String latestCompleteSnapshots(TableSpec spec, String source) {
    String scope = spec.scopeColumn();
    String v = scope + ", " + EMITTED_AT + ", " + PANE;
    return "(SELECT "
        + v
        + " FROM (SELECT m."
        + scope
        + ", m."
        + EMITTED_AT
        + ", m."
        + PANE
        + ", ROW_NUMBER() OVER (PARTITION BY m."
        + scope
        + " ORDER BY m."
        + EMITTED_AT
        + " DESC, m."
        + PANE
        + " DESC) AS _rn FROM "
        + source
        + " m LEFT JOIN (SELECT "
        + v
        + ", COUNT(*) AS _n FROM "
        + source
        + " WHERE NOT "
        + MARKER
        + " GROUP BY "
        + v
        + ") r ON r."
        + scope
        + " = m."
        + scope
        + " AND r."
        + EMITTED_AT
        + " = m."
        + EMITTED_AT
        + " AND r."
        + PANE
        + " = m."
        + PANE
        + " WHERE m."
        + MARKER
        + " AND m."
        + ROWS
        + " = COALESCE(r._n, 0)) c WHERE _rn = 1)";
  }

  /** Removes the rows of every scope whose newest complete snapshot in source is not older. */
  static String deleteOlderSnapshots(TableSpec spec, String source) {
    String scope = spec.scopeColumn();
    return "DELETE FROM "
        + spec.name()
        + " t USING "
        + latestCompleteSnapshots(spec, source)
        + " s WHERE t."
        + scope
        + " = s."
        + scope
        + " AND "
        + newer("s", "t");
  }

  /** Inserts the newest complete snapshot of every scope that has no (newer) rows left. */
  static String insertSnapshots(TableSpec spec, String source) {
    String scope = spec.scopeColumn();
    List<String> cols = targetColumns(spec);
    List<String> dcols = new ArrayList<>();
    for (String c : cols) {
      dcols.add("d." + c);
    }
    return "INSERT INTO "
        + spec.name()
        + " ("
        + String.join(", ", cols)
        + ") SELECT "
        + String.join(", ", dcols)
        + " FROM "
        + source
        + " d JOIN "
        + latestCompleteSnapshots(spec, source)
        + " s ON d."
        + scope
        + " = s."
        + scope
        + " AND d."
        + EMITTED_AT
        + " = s."
        + EMITTED_AT
        + " AND d."
        + PANE
        + " = s."
        + PANE
        + " WHERE NOT d."
        + MARKER
        + " AND NOT EXISTS (SELECT 1 FROM "
        + spec.name()
        + " t WHERE t."
        + scope
        + " = d."
        + scope
        + ")";
  }

  /**
   * The statements of one scheduled merge of a streamed table, run in one transaction (the body
   * of its task). UPSERT: one MERGE from the stream. REPLACE_SCOPE: move the stream into the
   * pending table, apply the newest complete snapshot of each scope, drop the pending rows that
   * are applied or superseded (an incomplete newer snapshot stays for the next run).
   */
  public static List<String> taskStatements(TableSpec spec) {
    if (spec.mode() == TableSpec.WriteMode.UPSERT) {
      return mergeFrom(spec, stream(spec));
    }
    String pending = pendingTable(spec);
    String cols = String.join(", ", loadColumns(spec));
    String scope = spec.scopeColumn();
    List<String> out = new ArrayList<>();
    out.add("INSERT INTO " + pending + " (" + cols + ") SELECT " + cols + " FROM " + stream(spec));
    out.addAll(mergeFrom(spec, pending));
    out.add(
        "DELETE FROM "
            + pending
            + " p USING "
            + latestCompleteSnapshots(spec, pending)
            + " s WHERE p."
            + scope
            + " = s."
            + scope
            + " AND "
            + newer("s", "p"));
    return out;
  }

  /** Start and end of a task body that runs several statements as one transaction. */
  public static final String BLOCK_START = "EXECUTE IMMEDIATE\n$$\nBEGIN\n  BEGIN TRANSACTION;\n";
  public static final String BLOCK_END = "  COMMIT;\nEND;\n$$";

  /**
   * The body of the task: one statement, or a transaction in a Snowflake Scripting block (run
   * with EXECUTE IMMEDIATE, as a task body needs it).
   */
  public static String taskBody(TableSpec spec) {
    List<String> st = taskStatements(spec);
    if (st.size() == 1) {
      return st.get(0);
    }
    StringBuilder sb = new StringBuilder(BLOCK_START);
    for (String s : st) {
      sb.append("  ").append(s).append(";\n");
    }
    return sb.append(BLOCK_END).toString();
  }

  /** The pipe that appends a streamed table's staged files to {@code table}. */
  public static String createPipe(String table, List<String> columns) {
    return "CREATE PIPE IF NOT EXISTS "
        + pipe(table)
        + " AUTO_INGEST = FALSE AS COPY INTO "
        + table
        + " ("
        + String.join(", ", columns)
        + ") FROM @"
        + STAGE
        + "/"
        + streamDir(table)
        + " "
        + FILE_FORMAT;
  }

  /** Streaming objects of one table: pipe, stream, (pending table), task, task resumed. */
  public static List<String> streamingDdl(TableSpec spec) {
    List<String> out = new ArrayList<>();
    out.add(createPipe(loadTable(spec), loadColumns(spec)));
    out.add("CREATE STREAM IF NOT EXISTS " + stream(spec) + " ON TABLE " + loadTable(spec) + " APPEND_ONLY = TRUE");
    if (spec.mode() == TableSpec.WriteMode.REPLACE_SCOPE) {
      out.add(createLoadLike(spec, pendingTable(spec)));
    }
    out.add(
        "CREATE TASK IF NOT EXISTS "
            + task(spec)
            + " USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE = 'XSMALL' SCHEDULE = '"
            + TASK_SCHEDULE
            + "' WHEN SYSTEM$STREAM_HAS_DATA('"
            + stream(spec)
            + "') AS\n"
            + taskBody(spec));
    out.add("ALTER TASK " + task(spec) + " RESUME");
    return out;
  }

  /** Every table's DDL, as in {@code dw/io/snowflake/ddl.sql}. */
  public static String ddl(List<TableSpec> specs) {
    StringBuilder sb = new StringBuilder();
    for (TableSpec s : specs) {
      sb.append(createTable(s)).append(";\n\n");
      sb.append(createLoadTable(s)).append(";\n\n");
    }
    sb.append("-- Raw events (streaming only): every parsed ping, loaded by Snowpipe.\n");
    sb.append(RawPings.createTable()).append(";\n\n");
    sb.append(createPipe(RawPings.TABLE, RawPings.columns())).append(";\n\n");
    for (TableSpec s : specs) {
      sb.append("-- Streaming ").append(s.name()).append(": Snowpipe appends panes to ")
          .append(loadTable(s)).append(", a task merges them every ").append(TASK_SCHEDULE.toLowerCase())
          .append(".\n");
      for (String st : streamingDdl(s)) {
        sb.append(st).append(";\n\n");
      }
    }
    return sb.toString();
  }

  static String literal(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
