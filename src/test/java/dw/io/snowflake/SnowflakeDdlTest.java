package dw.io.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dw.io.tables.SecurityTables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** ddl.sql holds exactly the DDL the sink generates for every table (and its load table). */
class SnowflakeDdlTest {
  static final Path FILE = Path.of("io/src/main/resources/dw/io/snowflake/ddl.sql");
  static final String BEGIN = "-- BEGIN GENERATED (SnowflakeSql.ddl over SecurityTables.all())\n";
  static final String END = "-- END GENERATED\n";

  @Test
  void ddlFileHasTheGeneratedStatementsOfEveryTable() throws Exception {
    String text = Files.readString(FILE, StandardCharsets.UTF_8);
    int b = text.indexOf(BEGIN);
    int e = text.indexOf(END);
    String generated = SnowflakeSql.ddl(SecurityTables.all());
    String wanted = text.substring(0, b + BEGIN.length()) + generated + text.substring(e);
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
