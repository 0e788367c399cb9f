package dw.io.warehouse;

import dw.transforms.common.CounterNames;
import org.apache.beam.sdk.metrics.Metrics;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL connections for JdbcIO that survive connection loss. JdbcIO 2.70 retries a failed
 * batch (rollback, back off, execute the whole batch again) when its {@link JdbcIO.RetryStrategy}
 * says so, but keeps using the same {@link Connection} object; once the server has closed it (a
 * restart, a failover, {@code pg_terminate_backend}) every retry fails again. The connections
 * handed out here reconnect instead: a rollback on a broken connection opens a new one (the lost
 * transaction is gone anyway), and so does any call on one that is closed; each batch starts with
 * a validity check (one round trip), so a connection lost while idle costs no retry attempt. While
 * the server cannot be reached, a connection opens on its first use and a batch attempt fails at
 * {@code executeBatch}, inside JdbcIO's retry loop, so an outage shorter than the back-off is
 * ridden out without a job restart. Batches are upserts or atomic scope replacements, so running
 * one again never duplicates rows.
 */
public final class ResilientPostgres {
  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(ResilientPostgres.class);
  private static final AtomicLong RECONNECTS = new AtomicLong();
  private static final AtomicLong RETRIED_BATCHES = new AtomicLong();

  private ResilientPostgres() {}

  /** Connections opened again after a loss, in this JVM (for tests and logs). */
  public static long reconnects() {
    return RECONNECTS.get();
  }

  /** Failed batch attempts that were retried (transient errors), in this JVM (for tests and logs). */
  public static long retriedBatches() {
    return RETRIED_BATCHES.get();
  }

  /**
   * Retry a batch on connection loss and on the transient errors PostgreSQL asks clients to retry:
   * SQLState class 08 (connection exception), 57P01/57P02/57P03 (admin shutdown, crash shutdown,
   * cannot connect now), 40001 (serialization failure), 40P01 (deadlock). Looks through the cause
   * and next-exception chains (a failed batch is a BatchUpdateException wrapping the real error).
   */
  public static boolean isTransient(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        for (SQLException n = s; n != null; n = n.getNextException()) {
          String state = n.getSQLState();
          if (state != null
              && (state.startsWith("08")
                  || state.equals("57P01")
                  || state.equals("57P02")
                  || state.equals("57P03")
                  || state.equals("40001")
                  || state.equals("40P01"))) {
            return true;
          }
          if (n.getNextException() == n) {
            break;
          }
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /**
   * Retry strategy for {@link JdbcIO.Write#withRetryStrategy}; counts each failed batch as {@code
   * warehouse_write_retries} (retried) or {@code warehouse_write_failures} (not retried: the
   * bundle fails).
   */
  public static JdbcIO.RetryStrategy retryStrategy() {
    return e -> {
      boolean retry = isTransient(e);
      if (retry) {
        long n = RETRIED_BATCHES.incrementAndGet();
        LOG.warn("warehouse batch failed ({}: {}); backing off and retrying (retry #{} in this JVM)",
            e.getSQLState(), e.getMessage(), n);
      }
      Metrics.counter(
              CounterNames.NAMESPACE,
              retry ? CounterNames.WAREHOUSE_WRITE_RETRIES : CounterNames.WAREHOUSE_WRITE_FAILURES)
          .inc();
      return retry;
    };
  }

  /**
   * Up to 10 attempts within 5 minutes, backing off from 1 s (JdbcIO's FluentBackoff: ×1.5 each
   * time, ±50 % jitter; about 2 minutes in all).
   */
  public static JdbcIO.RetryConfiguration retryConfiguration() {
    return JdbcIO.RetryConfiguration.create(
        10, org.joda.time.Duration.standardMinutes(5), org.joda.time.Duration.standardSeconds(1));
  }

  /** A data source provider for {@link JdbcIO.Write#withDataSourceProviderFn}. */
  public static SerializableFunction<Void, DataSource> dataSourceProvider(
      String url, String user, String password) {
    return new Provider(url, user, password);
  }

  private static final class Provider implements SerializableFunction<Void, DataSource> {
    private final String url;
    private final String user;
    private final String password;

    Provider(String url, String user, String password) {
      this.url = url;
      this.user = user;
      this.password = password;
    }

    @Override
    public DataSource apply(Void input) {
      return new ReconnectingDataSource(url, user, password);
    }
  }

  static final class ReconnectingDataSource implements DataSource {
    private final String url;
    private final Properties props = new Properties();

    ReconnectingDataSource(String url, String user, String password) {
      this.url = url;
      if (user != null) {
        props.setProperty("user", user);
      }
      if (password != null) {
        props.setProperty("password", password);
      }
    }

    Connection open() throws SQLException {
      // The driver directly, not DriverManager: on a Flink cluster the driver lives in the job's
      // class loader, which DriverManager's start-up scan does not see.
      Connection c = new org.postgresql.Driver().connect(url, props);
      if (c == null) {
        throw new SQLException("not a PostgreSQL JDBC URL: " + WarehouseUrl.redact(url), "08001");
      }
      return c;
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection physical;
      try {
        physical = open();
      } catch (SQLException e) {
        if (!isTransient(e)) {
          throw e; // a wrong password or database: no point in waiting
        }
        // Unreachable now (JdbcIO connects on a writer's first batch, outside its retry loop):
        // the connection opens on first use, and a batch attempt that finds the server still
        // away fails inside JdbcIO's retry loop (see Handler).
        LOG.warn("warehouse unreachable ({}); connecting when the first batch is written", e.getSQLState());
        physical = null;
      }
      Handler h = new Handler(this, physical);
      return (Connection)
          Proxy.newProxyInstance(
              ResilientPostgres.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      throw new SQLFeatureNotSupportedException("credentials come from the warehouse configuration");
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }

  /** Delegates to the current physical connection; replaces it when it is lost. */
  static final class Handler implements InvocationHandler {
    private final ReconnectingDataSource source;
    private Connection physical;
    private boolean autoCommit = true;
    private boolean closedByUser;

    Handler(ReconnectingDataSource source, Connection physical) {
      this.source = source;
      this.physical = physical;
    }

    private void reconnect(String why) throws SQLException {
      try {
        if (physical != null) {
          physical.close();
        }
      } catch (SQLException ignored) {
        // already gone
      }
      physical = null;
      physical = source.open();
      physical.setAutoCommit(autoCommit);
      long n = RECONNECTS.incrementAndGet();
      LOG.warn("warehouse connection lost ({}); reconnected (reconnect #{} in this JVM)", why, n);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      switch (name) {
        case "close" -> {
          closedByUser = true;
          if (physical != null) {
            physical.close();
          }
          return null;
        }
        case "isClosed" -> {
          return closedByUser;
        }
        case "isValid" -> {
          if (physical == null) {
            return false;
          }
        }
        case "setAutoCommit" -> {
          autoCommit = (Boolean) args[0];
          if (physical == null) {
            return null; // applied when the connection opens
          }
        }
        case "rollback" -> {
          if (args == null || args.length == 0) {
            try {
              if (physical == null) {
                throw new SQLException("not connected", "08003");
              }
              physical.rollback();
            } catch (SQLException e) {
              if (!closedByUser && (physical == null || physical.isClosed() || isTransient(e))) {
                try {
                  reconnect(e.getSQLState() + " on rollback");
                } catch (SQLException again) {
                  // The server is not back yet: JdbcIO backs off, and the next call tries again.
                  LOG.warn("warehouse reconnect failed ({}); will try again", again.getSQLState());
                }
                return null;
              }
              throw e;
            }
            return null;
          }
        }
        default -> {}
      }
      try {
        if (!closedByUser && (physical == null || physical.isClosed()) && !name.equals("isValid")) {
          reconnect("connection closed before " + name);
        } else if (!closedByUser && name.equals("prepareStatement") && !physical.isValid(5)) {
          // JdbcIO prepares once per batch attempt: start each batch on a live connection (one
          // round trip per batch), so a connection lost while idle or backing off costs no attempt.
          reconnect("connection found dead before a batch");
        }
      } catch (SQLException e) {
        if (name.equals("prepareStatement") && isTransient(e)) {
          // The server is unreachable (refused, down, restarting). JdbcIO 2.70 prepares the
          // statement outside its retry loop, so throwing here would fail the bundle (and the job
          // would restart); the statement handed out instead fails its executeBatch with this
          // error, inside the loop, which backs off and tries the batch again.
          return unreachableStatement(e);
        }
        throw e;
      }
      Object result;
      try {
        result = method.invoke(physical, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (result instanceof PreparedStatement ps) {
        Connection owner = physical;
        return Proxy.newProxyInstance(
            ResilientPostgres.class.getClassLoader(),
            new Class<?>[] {PreparedStatement.class},
            (p, m, a) -> {
              try {
                return m.invoke(ps, a);
              } catch (InvocationTargetException e) {
                throw asSqlException(e.getCause(), owner);
              }
            });
      }
      return result;
    }
  }

  /**
   * A statement for a batch attempt whose connection could not be opened: setting parameters and
   * adding rows do nothing, executing fails with {@code cause} (SQLState 08xxx), closing is fine.
   */
  static PreparedStatement unreachableStatement(SQLException cause) {
    return (PreparedStatement)
        Proxy.newProxyInstance(
            ResilientPostgres.class.getClassLoader(),
            new Class<?>[] {PreparedStatement.class},
            (p, m, a) -> {
              String n = m.getName();
              if (n.startsWith("execute")) {
                throw new SQLException(
                    "warehouse unreachable: " + cause.getMessage(), cause.getSQLState(), cause);
              }
              if (n.equals("isClosed")) {
                return false;
              }
              if (m.getReturnType() == boolean.class) {
                return false;
              }
              if (m.getReturnType() == int.class || m.getReturnType() == long.class) {
                return m.getReturnType() == int.class ? (Object) 0 : (Object) 0L;
              }
              if (n.equals("toString")) {
                return "unreachable statement (" + cause.getSQLState() + ")";
              }
              if (n.equals("hashCode")) {
                return System.identityHashCode(p);
              }
              if (n.equals("equals")) {
                return p == a[0];
              }
              return null;
            });
  }

  /**
   * pgjdbc 42.7 reports a connection closed under a running batch as an AssertionError ("…
   * getAutoCommit() should not throw") instead of an SQLException, which JdbcIO would not retry;
   * this turns it into the connection error it is (SQLState 08006).
   */
  static Throwable asSqlException(Throwable t, Connection owner) {
    if (t instanceof AssertionError) {
      boolean closed;
      try {
        closed = owner.isClosed();
      } catch (SQLException e) {
        closed = true;
      }
      if (closed) {
        return new SQLException("connection lost during a batch: " + t.getMessage(), "08006", t);
      }
    }
    return t;
  }
}
