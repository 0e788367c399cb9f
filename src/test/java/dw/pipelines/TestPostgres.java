package dw.pipelines;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The machine's PostgreSQL for the JDBC warehouse tests (127.0.0.1:5432, database test, trust auth;
 * {@code .ci/run} starts or installs it; {@code DW_TEST_PG_URL} overrides the URL), one fresh schema
 * per test class, and the two generated days those tests load.
 */
final class TestPostgres {
  static final String BASE_URL =
      System.getenv().getOrDefault("DW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  private TestPostgres() {}

  /** Creates {@code schema}; returns the JDBC URL whose tables live in it. */
  static String createSchema(String schema) {
    try (Connection c = DriverManager.getConnection(BASE_URL);
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL at " + BASE_URL + " is needed for this test (run .ci/run, which starts it): " + e.getMessage(), e);
    }
    return BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  static void dropSchema(String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(BASE_URL);
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
