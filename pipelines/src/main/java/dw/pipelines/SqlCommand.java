package dw.pipelines;

import dw.io.warehouse.WarehouseUrl;
import dw.io.warehouse.WriteToWarehouse;
import dw.pipelines.generate.CommandLineOptions;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** {@code sql [--warehouse=URL] "<query>"}: runs one query against the warehouse, prints a table. */
final class SqlCommand implements Main.Command {
  @Override
  public String description() {
    return "run one SQL query against the warehouse and print the result (--warehouse=URL \"SELECT …\")";
  }

  @Override
  public int run(String[] args) throws Exception {
    if (CommandLineOptions.wantsHelp(args)) {
      System.out.println("usage: sql [--warehouse=URL] \"<SQL query>\"");
      CommandLineOptions.printOwnHelp(System.out, SqlOptions.class);
      return 0;
    }
    List<String> options = new ArrayList<>();
    List<String> positional = new ArrayList<>();
    for (String a : args) {
      (a.startsWith("--") ? options : positional).add(a);
    }
    SqlOptions o = CommandLineOptions.parse(options.toArray(new String[0]), SqlOptions.class);
    if (positional.size() > 1 || (positional.size() == 1 && !o.getQuery().isEmpty())) {
      throw new IllegalArgumentException("give one SQL query (quote it), got " + (positional.size() + (o.getQuery().isEmpty() ? 0 : 1)));
    }
    String query = positional.isEmpty() ? o.getQuery() : positional.get(0);
    if (query.isEmpty()) {
      throw new IllegalArgumentException("give the SQL query as the last argument");
    }
    String warehouse = o.getWarehouse();
    WarehouseUrl url = WarehouseUrl.parse(warehouse);
    if (url.duckDbFile() != null && !new java.io.File(url.duckDbFile()).exists()) {
      throw new IllegalArgumentException(
          "--warehouse: " + url.duckDbFile() + " does not exist (run a pipeline first)");
    }
    try (Connection c = WriteToWarehouse.connect(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      printTable(rs, System.out, 1000);
    }
    return 0;
  }

  /** Prints a result set as an aligned text table (at most {@code maxRows} rows). */
  static void printTable(ResultSet rs, PrintStream out, int maxRows) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[n];
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      header[i] = md.getColumnLabel(i + 1);
      width[i] = header[i].length();
    }
    int total = 0;
    while (rs.next()) {
      total++;
      if (rows.size() >= maxRows) {
        continue;
      }
      String[] r = new String[n];
      for (int i = 0; i < n; i++) {
        Object v = rs.getObject(i + 1);
        r[i] = v == null ? "" : v.toString();
        width[i] = Math.max(width[i], r[i].length());
      }
      rows.add(r);
    }
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < n; i++) {
      line.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.println(format(header, width));
    out.println(line);
    for (String[] r : rows) {
      out.println(format(r, width));
    }
    out.println("(" + total + " row" + (total == 1 ? "" : "s") + (total > rows.size() ? ", " + rows.size() + " shown" : "") + ")");
  }

  private static String format(String[] r, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < r.length; i++) {
      if (i > 0) {
        sb.append(" | ");
      }
      sb.append(String.format("%-" + width[i] + "s", r[i]));
    }
    return sb.toString().stripTrailing();
  }
}
