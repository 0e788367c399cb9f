package dw.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dw.io.tables.SecurityTables;
import dw.io.warehouse.Column;
import dw.io.warehouse.WarehouseUrl;
import dw.io.warehouse.WriteToWarehouse;
import dw.pipelines.generate.SecurityPingGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Reads the generator's ground truth and the same shape back from a warehouse. */
final class GroundTruth {
  static final String TOTALS_SQL =
      "SELECT CAST(log_date AS VARCHAR), version, edition, database_type, operating_system, country_iso,"
          + " active_servers, active_users, max_active_users, registered_users"
          + " FROM security_daily_totals ORDER BY 1, 2, 3, 4, 5, 6";
  static final String SERVERS_SQL =
      "SELECT CAST(log_date AS VARCHAR), server_id, pings, active_users, max_active_users, distinct_ips,"
          + " distinct_versions, exclusion_reasons, version_full, COALESCE(country_iso, 'unknown')"
          + " FROM security_server_daily ORDER BY 1, 2";

  /**
   * Every column (client IP hashes and is_final included) but pane_timing: two runs with the same
   * key must agree on all. pane_timing legitimately differs: a stream writes a row refined by a late
   * file as LATE, a backfill writes it ON_TIME.
   */
  static final String ALL_SERVER_COLUMNS_SQL = allColumnsBut(dw.io.tables.SecurityTables.SERVER_DAILY, "pane_timing");

  static final String ALL_TOTALS_COLUMNS_SQL = allColumnsBut(dw.io.tables.SecurityTables.DAILY_TOTALS, "pane_timing");

  static String allColumnsBut(dw.io.warehouse.TableSpec spec, String except) {
    return "SELECT "
        + String.join(", ", spec.columnNames().stream().filter(c -> !c.equals(except)).toList())
        + " FROM " + spec.name();
  }

  /**
   * Every column but the pane metadata (pane_timing, is_final), which says when a row was written,
   * not what it holds: a stream that reads some of a day's files after the day's on-time result
   * writes the day again as a LATE pane (docs/streaming.md), where a backfill writes it ON_TIME.
   */
  static final String ALL_SERVER_DATA_COLUMNS_SQL =
      "SELECT "
          + String.join(
              ", ",
              SecurityTables.SERVER_DAILY.columns().stream()
                  .map(Column::name)
                  .filter(n -> !n.equals("pane_timing") && !n.equals("is_final"))
                  .toList())
          + " FROM security_server_daily";

  private GroundTruth() {}

  /** The truth CSV's data lines, normalised (quotes removed, nulls as empty). */
  static List<String> csv(Path truthDir, String file) throws IOException {
    List<String> lines = Files.readAllLines(truthDir.resolve(SecurityPingGenerator.TRUTH_DIR).resolve(file));
    List<String> out = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      if (!l.isBlank()) {
        out.add(String.join("|", splitCsv(l)));
      }
    }
    java.util.Collections.sort(out);
    return out;
  }

  static JsonNode summary(Path output) throws IOException {
    return new ObjectMapper()
        .readTree(output.resolve(SecurityPingGenerator.TRUTH_DIR).resolve(SecurityPingGenerator.SUMMARY_JSON).toFile());
  }

  static List<String> splitCsv(String line) {
    List<String> f = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        f.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    f.add(cur.toString());
    return f;
  }

  /** Equal row lists, or a failure that shows only the differing rows. */
  static void assertSameRows(List<String> expected, List<String> actual, String what) {
    if (expected.equals(actual)) {
      return;
    }
    List<String> missing = new ArrayList<>(expected);
    missing.removeAll(actual);
    List<String> extra = new ArrayList<>(actual);
    extra.removeAll(expected);
    org.junit.jupiter.api.Assertions.fail(
        what + ": " + expected.size() + " rows expected, " + actual.size() + " found; missing "
            + missing.subList(0, Math.min(10, missing.size())) + (missing.size() > 10 ? " …" : "")
            + "; unexpected " + extra.subList(0, Math.min(10, extra.size())) + (extra.size() > 10 ? " …" : ""));
  }

  /** The warehouse's daily totals and server days equal the generator's truth under {@code logs}. */
  static void assertTablesEqualTruth(Path logs, WarehouseUrl url) throws Exception {
    assertSameRows(csv(logs, SecurityPingGenerator.DAILY_TOTALS_CSV), query(url, TOTALS_SQL), "totals");
    assertSameRows(csv(logs, SecurityPingGenerator.SERVER_DAILY_CSV), query(url, SERVERS_SQL), "server days");
  }

  /** Rows of a query as "a|b|c" with SQL NULL as empty, sorted. */
  static List<String> query(WarehouseUrl url, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = WriteToWarehouse.connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          sb.append(i > 1 ? "|" : "").append(v == null ? "" : v.toString());
        }
        out.add(sb.toString());
      }
    }
    java.util.Collections.sort(out);
    return out;
  }

  /** Generated logs of 2026-09-01..02 under {@code logs}, with their ground truth in _truth/. */
  static void generateTwoDays(Path logs, int servers, long seed) throws IOException {
    new SecurityPingGenerator(
            new SecurityPingGenerator.Config(logs)
                .from(LocalDate.parse("2026-09-01"))
                .to(LocalDate.parse("2026-09-02"))
                .servers(servers)
                .seed(seed))
        .generate();
  }
}
