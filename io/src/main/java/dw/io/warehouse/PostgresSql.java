package dw.io.warehouse;

import java.util.ArrayList;
import java.util.List;

/** The SQL the PostgreSQL sink issues (generated from a {@link TableSpec}, pinned in tests). */
public final class PostgresSql {
  private PostgresSql() {}

  /** {@code INSERT … ON CONFLICT (key) DO UPDATE SET …} for one row. */
  public static String upsert(TableSpec spec) {
    List<String> cols = spec.columnNames();
    String placeholders = String.join(", ", java.util.Collections.nCopies(cols.size(), "?"));
    return "INSERT INTO "
        + spec.name()
        + " ("
        + String.join(", ", cols)
        + ") VALUES ("
        + placeholders
        + ") ON CONFLICT ("
        + String.join(", ", spec.keyColumns())
        + ") DO UPDATE SET "
        + updateSet(spec);
  }

  /**
   * One statement that replaces a whole scope with a snapshot given as a JSON array of row
   * objects: rows of the scope missing from the snapshot are deleted, the others upserted. The
   * two parts touch disjoint keys, so they are safe in one statement, and the statement is atomic.
   * Parameters: 1 = the JSON array, 2 = the scope value.
   */
  public static String replaceScope(TableSpec spec) {
    List<String> match = new ArrayList<>();
    for (String k : spec.keyColumns()) {
      match.add("s." + k + " = t." + k);
    }
    return "WITH snap AS (SELECT * FROM json_populate_recordset(NULL::"
        + spec.name()
        + ", ?::json)), del AS (DELETE FROM "
        + spec.name()
        + " t WHERE t."
        + spec.scopeColumn()
        + " = ? AND NOT EXISTS (SELECT 1 FROM snap s WHERE "
        + String.join(" AND ", match)
        + ")) INSERT INTO "
        + spec.name()
        + " ("
        + String.join(", ", spec.columnNames())
        + ") SELECT "
        + String.join(", ", spec.columnNames())
        + " FROM snap ON CONFLICT ("
        + String.join(", ", spec.keyColumns())
        + ") DO UPDATE SET "
        + updateSet(spec);
  }

  private static String updateSet(TableSpec spec) {
    List<String> sets = new ArrayList<>();
    for (String c : spec.columnNames()) {
      if (!spec.keyColumns().contains(c)) {
        sets.add(c + " = EXCLUDED." + c);
      }
    }
    return String.join(", ", sets);
  }
}
