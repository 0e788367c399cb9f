package dw.io.snowflake;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.warehouse.WarehouseUrl;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every name that comes from an option or variable and ends up in a Snowflake URL, connection
 * property or SQL statement (account, user, database, schema, warehouse, role, storage integration,
 * pipe) is checked against a strict pattern when the configuration is read, before any SQL is
 * built: injection strings are refused with the option named. Values never reach SQL text: the
 * sinks bind them (JdbcIO prepared statements, DuckDB's appender, Snowflake staged files).
 */
class IdentifierInjectionTest {
  static final List<String> INJECTIONS =
      List.of(
          "X\"; DROP TABLE security_daily_totals; --",
          "X' OR '1'='1",
          "X;DROP",
          "A B",
          "evil.example.com/x#",
          "$(id)",
          "X\nUSE ROLE ACCOUNTADMIN",
          "X/*",
          "\"QUOTED\"",
          "");

  /** Variable -> the option its error names. */
  static final Map<String, String> NAMES =
      Map.of(
          "SNOWFLAKE_ACCOUNT", "--snowflakeAccount",
          "SNOWFLAKE_LOAD_USER", "--snowflakeUser",
          "SNOWFLAKE_LOAD_DATABASE", "--snowflakeDatabase",
          "SNOWFLAKE_LOAD_SCHEMA", "--snowflakeSchema",
          "SNOWFLAKE_LOAD_WAREHOUSE", "--snowflakeWarehouse",
          "SNOWFLAKE_LOAD_ROLE", "--snowflakeRole",
          "SNOWFLAKE_STORAGE_INTEGRATION", "--snowflakeStorageIntegration",
          "SNOWFLAKE_SNOWPIPE", "--snowflakeSnowpipe");

  @Test
  void everyNameRefusesInjectionStringsAndSaysWhichOption() {
    for (Map.Entry<String, String> name : NAMES.entrySet()) {
      for (String bad : INJECTIONS) {
        if (bad.isEmpty()) {
          continue; // empty means "not set" (then the default or a "missing" message)
        }
        Map<String, String> env = SnowflakeConfigTest.env();
        env.put(name.getKey(), bad);
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class,
                () -> SnowflakeConfig.parse("snowflake", env, SnowflakeConfigTest.NONE),
                name.getKey() + "=" + bad);
        assertTrue(
            e.getMessage().contains(name.getValue()) || e.getMessage().startsWith("--warehouse="),
            name.getKey() + "=" + bad + ": " + e.getMessage());
      }
    }
  }

  @Test
  void urlPartsRefuseInjectionStrings() {
    for (String url :
        List.of(
            "snowflake://acme/DB;DROP/RAW",
            "snowflake://acme/DB/RAW%22%3B%20DROP",
            "snowflake://acme/DB/RAW/EXTRA",
            "snowflake://ac'me/DB/RAW")) {
      assertThrows(
          IllegalArgumentException.class,
          () -> WarehouseUrl.parse(url, SnowflakeConfigTest.env(), SnowflakeConfigTest.NONE),
          url);
    }
  }

  @Test
  void plainNamesAreAccepted() {
    Map<String, String> env = SnowflakeConfigTest.env();
    env.put("SNOWFLAKE_LOAD_ROLE", "LOADER_ROLE$2");
    env.put("SNOWFLAKE_SNOWPIPE", "ANALYTICS.RAW.SECURITY_PINGS_PIPE");
    env.put("SNOWFLAKE_LOAD_USER", "loader.bot@acme");
    env.put("SNOWFLAKE_ACCOUNT", "xy12345.eu-central-1");
    assertDoesNotThrow(() -> SnowflakeConfig.parse("snowflake", env, SnowflakeConfigTest.NONE));
  }
}
