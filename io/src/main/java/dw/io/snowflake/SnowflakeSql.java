package dw.io.snowflake;

import dw.io.warehouse.Column;
import dw.io.warehouse.Dialect;
import dw.io.warehouse.TableSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL the Snowflake sink issues, generated from a {@link TableSpec} (pinned in tests, and the
 * DDL is {@code dw/io/snowflake/ddl.sql}).
 *
 * <p>Each table {@code T} has a load table {@code T_load}: T's columns (all nullable, no key) plus
 * {@value #PANE} (the Beam pane index of the element the row came from: a later pane of the same
 * window replaces an earlier one) and {@value #MARKER} (REPLACE_SCOPE tables only: one row per
 * snapshot that carries only the scope value, so an empty snapshot still clears its scope). One
 * load is one transaction: empty the load table, {@code COPY INTO} it from the staged files, then
 * merge into T on its key (UPSERT: {@code MERGE}, keeping the row of the latest pane per key;
 * REPLACE_SCOPE: delete the scopes present in the load, insert the latest snapshot of each).
 */
public final class SnowflakeSql {
  public static final String PANE = "_pane";
  public static final String MARKER = "_marker";
  public static final String LOAD_SUFFIX = "_load";

  private SnowflakeSql() {}

  public static String loadTable(TableSpec spec) {
    return spec.name() + LOAD_SUFFIX;
  }

  /** Columns of the load table (and of each staged CSV record), in order. */
  public static List<String> loadColumns(TableSpec spec) {
    List<String> cols = new ArrayList<>(spec.columnNames());
    cols.add(PANE);
    cols.add(MARKER);
    return cols;
  }

  public static String createTable(TableSpec spec) {
    return spec.createTableSql(Dialect.SNOWFLAKE);
  }

  public static String createLoadTable(TableSpec spec) {
    StringBuilder sb =
        new StringBuilder("CREATE TRANSIENT TABLE IF NOT EXISTS ").append(loadTable(spec)).append(" (");
    for (Column c : spec.columns()) {
      sb.append("\n  ").append(c.name()).append(' ').append(c.type().sqlType(Dialect.SNOWFLAKE)).append(',');
    }
    sb.append("\n  ").append(PANE).append(" BIGINT,");
    sb.append("\n  ").append(MARKER).append(" BOOLEAN\n)");
    return sb.toString();
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
        + ") FILE_FORMAT = (TYPE = CSV COMPRESSION = GZIP FIELD_DELIMITER = ','"
        + " FIELD_OPTIONALLY_ENCLOSED_BY = '0x27' EMPTY_FIELD_AS_NULL = TRUE"
        + " ESCAPE_UNENCLOSED_FIELD = NONE) ON_ERROR = ABORT_STATEMENT";
  }

  /** The statements that move a filled load table into the target, in order. */
  public static List<String> merge(TableSpec spec) {
    if (spec.mode() == TableSpec.WriteMode.UPSERT) {
      return List.of(upsertMerge(spec));
    }
    return List.of(deleteScopes(spec), insertSnapshots(spec));
  }

  static String upsertMerge(TableSpec spec) {
    List<String> cols = spec.columnNames();
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
        + PANE
        + " DESC) AS _rn FROM "
        + loadTable(spec)
        + " l) d WHERE _rn = 1) s ON "
        + String.join(" AND ", on)
        + " WHEN MATCHED THEN UPDATE SET "
        + String.join(", ", sets)
        + " WHEN NOT MATCHED THEN INSERT ("
        + String.join(", ", cols)
        + ") VALUES ("
        + String.join(", ", values)
        + ")";
  }

  static String deleteScopes(TableSpec spec) {
    String scope = spec.scopeColumn();
    return "DELETE FROM "
        + spec.name()
        + " t USING (SELECT DISTINCT "
        + scope
        + " FROM "
        + loadTable(spec)
        + ") s WHERE t."
        + scope
        + " = s."
        + scope;
  }

  static String insertSnapshots(TableSpec spec) {
    String cols = String.join(", ", spec.columnNames());
    return "INSERT INTO "
        + spec.name()
        + " ("
        + cols
        + ") SELECT "
        + cols
        + " FROM (SELECT l.*, MAX("
        + PANE
        + ") OVER (PARTITION BY "
        + spec.scopeColumn()
        + ") AS _latest FROM "
        + loadTable(spec)
        + " l) d WHERE "
        + PANE
        + " = _latest AND NOT "
        + MARKER;
  }

  /** Every table's DDL (targets and load tables), as in {@code dw/io/snowflake/ddl.sql}. */
  public static String ddl(List<TableSpec> specs) {
    StringBuilder sb = new StringBuilder();
    for (TableSpec s : specs) {
      sb.append(createTable(s)).append(";\n\n");
      sb.append(createLoadTable(s)).append(";\n\n");
    }
    return sb.toString();
  }

  static String literal(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
