package dw.pipelines;

import dw.io.warehouse.DuckDbStore;
import dw.io.warehouse.WarehouseUrl;
import dw.io.warehouse.WriteToWarehouse;
import dw.pipelines.generate.CommandLineOptions;
import dw.pipelines.generate.SecurityPingGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code demo}: builds a GeoIP database with the project's MMDB writer, generates two days of
 * CloudFront logs, runs {@code security-pings} on embedded Flink (parallelism 2) into the
 * embedded warehouse, prints the daily totals and the run summary, and checks them against the
 * generator's ground truth.
 */
final class DemoCommand implements Main.Command {
  @Override
  public String description() {
    return "generate two days of logs and run security-pings on embedded Flink into the embedded"
        + " warehouse; print the totals (--dir=./data/demo --servers=3000 --warehouse=...)";
  }

  @Override
  public int run(String[] args) throws Exception {
    if (Launch.current().onCluster()) {
      throw new IllegalArgumentException(
          "demo runs on embedded Flink into the embedded warehouse; start it with"
              + " `java -jar target/dw-pipelines.jar demo`, not on a cluster ("
              + Launch.current().describe()
              + ")");
    }
    if (CommandLineOptions.wantsHelp(args)) {
      System.out.println("usage: demo [--option=value ...]");
      CommandLineOptions.printOwnHelp(System.out, DemoOptions.class);
      return 0;
    }
    DemoOptions options = CommandLineOptions.parse(args, DemoOptions.class);
    Path dir = Paths.get(options.getDir());
    String warehouse = options.getWarehouse();
    int servers = options.getServers();
    long t0 = System.nanoTime();
    LocalDate to = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    LocalDate from = to.minusDays(1);
    Path logs = dir.resolve("logs");
    Path mmdb = DemoGeoDatabase.write(dir.resolve("GeoLite2-City-demo.mmdb"));
    System.out.println("1. GeoIP database (project's MMDB writer): " + mmdb);

    SecurityPingGenerator.Result gen =
        new SecurityPingGenerator(
                new SecurityPingGenerator.Config(logs).from(from).to(to).servers(servers).seed(42).overwrite(true))
            .generate();
    System.out.printf(
        "2. Generated %d lines in %d files for %s..%s under %s%n",
        gen.linesRead(), gen.files(), from, to, logs);

    WarehouseUrl url = WarehouseUrl.parse(warehouse);
    System.out.println("3. security-pings backfill on embedded Flink (parallelism 2) into " + url);
    SecurityPingsOptions o =
        PipelineSupport.parse(
            new String[] {
              "--input=" + logs,
              "--from=" + from,
              "--to=" + to,
              "--warehouse=" + warehouse,
              "--geoipCityDatabase=" + mmdb,
              "--parallelism=2"
            },
            SecurityPingsOptions.class);
    SecurityPingsCommand.Outcome outcome = SecurityPingsCommand.execute(o);

    System.out.println();
    System.out.println("Daily totals (security_daily_totals summed over breakdowns):");
    String totalsSql =
        "SELECT log_date, SUM(active_servers) AS active_servers, SUM(active_users) AS active_users,"
            + " SUM(max_active_users) AS max_active_users, SUM(registered_users) AS registered_users"
            + " FROM security_daily_totals WHERE log_date BETWEEN DATE '" + from + "' AND DATE '" + to
            + "' GROUP BY log_date ORDER BY log_date";
    String countrySql =
        "SELECT country_iso, SUM(active_servers) AS active_servers, SUM(active_users) AS active_users"
            + " FROM security_daily_totals WHERE log_date = DATE '" + to + "'"
            + " GROUP BY country_iso ORDER BY active_servers DESC, country_iso LIMIT 8";
    List<String> actual = new ArrayList<>();
    try (Connection c = WriteToWarehouse.connect(url);
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery(totalsSql)) {
        SqlCommand.printTable(rs, System.out, 100);
      }
      try (ResultSet rs = st.executeQuery(totalsSql)) {
        while (rs.next()) {
          actual.add(rs.getString(1) + "," + rs.getLong(2) + "," + rs.getLong(3) + "," + rs.getLong(4) + "," + rs.getLong(5));
        }
      }
      System.out.println();
      System.out.println("Top countries on " + to + ":");
      try (ResultSet rs = st.executeQuery(countrySql)) {
        SqlCommand.printTable(rs, System.out, 100);
      }
    }
    List<String> expected = truthPerDay(gen.dailyTotalsCsv());
    boolean matches = expected.equals(actual);
    System.out.println();
    System.out.println("Run summary:");
    outcome.summary().emit(null);
    System.out.println();
    System.out.println("Ground truth (generator) per day: " + (matches ? "MATCHES" : "DIFFERS: expected " + expected));
    System.out.printf("Demo finished in %.1f s.%n", (System.nanoTime() - t0) / 1e9);
    System.out.println("Warehouse file: " + (url.duckDbFile() != null ? url.duckDbFile() : url));
    System.out.println("Query it, e.g.: java -jar target/dw-pipelines.jar sql --warehouse=" + warehouse
        + " \"SELECT * FROM security_server_daily LIMIT 5\"");
    System.out.println("  (or with the DuckDB CLI: duckdb " + (url.duckDbFile() != null ? url.duckDbFile() : "<file>") + ")");
    DuckDbStore.closeAll();
    return matches && outcome.summary().balanced() ? 0 : 3;
  }

  /** "day,servers,active,max,registered" per day from the generator's totals CSV. */
  static List<String> truthPerDay(Path csv) throws java.io.IOException {
    java.util.TreeMap<String, long[]> days = new java.util.TreeMap<>();
    List<String> lines = Files.readAllLines(csv);
    String[] header = lines.get(0).split(",");
    int iDay = indexOf(header, "log_date");
    int iS = indexOf(header, "active_servers");
    int iA = indexOf(header, "active_users");
    int iM = indexOf(header, "max_active_users");
    int iR = indexOf(header, "registered_users");
    for (String l : lines.subList(1, lines.size())) {
      if (l.isBlank()) {
        continue;
      }
      String[] f = l.split(",", -1);
      long[] s = days.computeIfAbsent(f[iDay], k -> new long[4]);
      s[0] += Long.parseLong(f[iS]);
      s[1] += Long.parseLong(f[iA]);
      s[2] += Long.parseLong(f[iM]);
      s[3] += Long.parseLong(f[iR]);
    }
    List<String> out = new ArrayList<>();
    days.forEach((d, s) -> out.add(d + "," + s[0] + "," + s[1] + "," + s[2] + "," + s[3]));
    return out;
  }

  private static int indexOf(String[] header, String name) {
    for (int i = 0; i < header.length; i++) {
      if (header[i].equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("column " + name + " missing from the ground truth");
  }
}
