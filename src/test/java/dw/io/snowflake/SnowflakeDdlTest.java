package dw.io.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dw.io.tables.PushProxyTables;
import dw.io.tables.SecurityTables;
import dw.io.warehouse.TableSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ddl.sql holds exactly the DDL the sink generates for every table (and its load table). */
public class SnowflakeDdlTest {
  static final Path FILE = Path.of("io/src/main/resources/dw/io/snowflake/ddl.sql");
  static final String BEGIN =
      "-- BEGIN GENERATED (SnowflakeSql.ddl over SecurityTables.all() and PushProxyTables.HOURLY, HOURLY_BY_COUNTRY)\n";
  static final String END = "-- END GENERATED\n";

  /** The tables of the generated part: those of the streaming pipelines (dead_letters once). */
  public static List<TableSpec> tables() {
    List<TableSpec> t = new ArrayList<>(SecurityTables.all());
    t.add(PushProxyTables.HOURLY);
    t.add(PushProxyTables.HOURLY_BY_COUNTRY);
    return t;
  }

  /** The generated part of ddl.sql as statements (what an administrator runs once). */
  public static List<String> statements() {
    List<String> out = new ArrayList<>();
    for (String s : SnowflakeSql.ddl(tables()).split(";\n\n")) {
      StringBuilder sql = new StringBuilder();
      for (String line : s.split("\n")) {
        if (!line.startsWith("--")) {
          sql.append(sql.length() == 0 ? "" : "\n").append(line);
        }
      }
      if (!sql.toString().isBlank()) {
        out.add(sql.toString());
      }
    }
    return out;
  }

  @Test
  void ddlFileHasTheGeneratedStatementsOfEveryTable() throws Exception {
    String text = Files.readString(FILE, StandardCharsets.UTF_8);
    int b = text.indexOf("-- BEGIN GENERATED");
    int e = text.indexOf(END);
    String generated = SnowflakeSql.ddl(tables());
    String wanted = text.substring(0, b) + BEGIN + generated + text.substring(e);
    if (Boolean.getBoolean("dw.updateGolden")) {
      Files.writeString(FILE, wanted, StandardCharsets.UTF_8);
      text = wanted;
    }
    assertEquals(
        wanted,
        text,
        FILE + " is out of date; run mvn -o test -Dtest=SnowflakeDdlTest -Ddw.updateGolden=true");
  }
}
