package dw.io.snowflake;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import net.snowflake.client.jdbc.SnowflakeBasicDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs statements through the Snowflake JDBC driver (password or key-pair authentication). Not
 * run against a real account from this project's machines (no network to Snowflake).
 */
public final class JdbcSnowflakeExecutor implements SnowflakeSqlExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSnowflakeExecutor.class);

  /** A data source for the account; credentials from the config, never logged. */
  public static SnowflakeBasicDataSource dataSource(SnowflakeConfig c) {
    SnowflakeBasicDataSource ds = new SnowflakeBasicDataSource();
    ds.setServerName(c.serverName());
    ds.setUser(c.user());
    if (c.privateKeyFile() != null) {
      ds.setPrivateKey(KeyPairs.load(c.privateKeyFile(), c.privateKeyPassphrase()));
    } else {
      ds.setPassword(c.password());
    }
    ds.setDatabaseName(c.database());
    ds.setSchema(c.schema());
    ds.setWarehouse(c.warehouse());
    if (c.role() != null) {
      ds.setRole(c.role());
    }
    return ds;
  }

  @Override
  public void runInTransaction(SnowflakeConfig config, List<String> statements) throws SQLException {
    try (Connection conn = dataSource(config).getConnection()) {
      conn.setAutoCommit(false);
      try (Statement st = conn.createStatement()) {
        for (String sql : statements) {
          LOG.info("snowflake {}: {}", config.account(), sql.length() > 300 ? sql.substring(0, 300) + "…" : sql);
          st.execute(sql);
        }
        conn.commit();
      } catch (SQLException e) {
        conn.rollback();
        throw e;
      }
    }
  }
}
