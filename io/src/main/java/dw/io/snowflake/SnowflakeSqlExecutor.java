package dw.io.snowflake;

import java.io.Serializable;
import java.util.List;

/**
 * Runs SQL against the Snowflake account: the network boundary of the Snowflake sink. The
 * production implementation is {@link JdbcSnowflakeExecutor} (Snowflake JDBC driver); tests plug
 * in an implementation that loads the staged files into PostgreSQL (with {@code
 * --snowflakeSqlExecutor}).
 */
public interface SnowflakeSqlExecutor extends Serializable {
  /** Runs the statements, in order, in one transaction (all or nothing). */
  void runInTransaction(SnowflakeConfig config, List<String> statements) throws Exception;

  /** Creates an executor: the class named by {@link SnowflakeConfig#sqlExecutorClass()}, or JDBC. */
  static SnowflakeSqlExecutor forConfig(SnowflakeConfig config) {
    if (config.sqlExecutorClass() == null) {
      return new JdbcSnowflakeExecutor();
    }
    try {
      return (SnowflakeSqlExecutor)
          Class.forName(config.sqlExecutorClass()).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalArgumentException(
          "--snowflakeSqlExecutor=" + config.sqlExecutorClass()
              + ": not a SnowflakeSqlExecutor class with a public no-argument constructor: " + e);
    }
  }
}
