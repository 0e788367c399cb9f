package dw.io.warehouse;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ResilientPostgresTest {
  @Test
  void connectionLossAndAdminShutdownAreRetryableConstraintErrorsAreNot() {
    assertTrue(ResilientPostgres.isTransient(new SQLException("I/O error", "08006")));
    assertTrue(ResilientPostgres.isTransient(new SQLException("closed", "08003")));
    assertTrue(ResilientPostgres.isTransient(new SQLException("terminating connection", "57P01")));
    assertTrue(ResilientPostgres.isTransient(new SQLException("serialization", "40001")));
    assertTrue(ResilientPostgres.isTransient(new SQLException("deadlock", "40P01")));
    assertFalse(ResilientPostgres.isTransient(new SQLException("duplicate key", "23505")));
    assertFalse(ResilientPostgres.isTransient(new SQLException("no state")));
  }

  @Test
  void looksInsideAFailedBatch() {
    BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "55000", new int[0]);
    batch.setNextException(new SQLException("terminating connection due to administrator command", "57P01"));
    assertTrue(ResilientPostgres.isTransient(batch));
    SQLException wrapped = new SQLException("wrapper", (String) null, new SQLException("io", "08006"));
    assertTrue(ResilientPostgres.isTransient(wrapped));
  }

  @Test
  void anUnreachableServerFailsTheBatchInsideJdbcIosRetryLoopNotBefore() throws Exception {
    int closedPort;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = free.getLocalPort();
    }
    javax.sql.DataSource ds =
        ResilientPostgres.dataSourceProvider("jdbc:postgresql://127.0.0.1:" + closedPort + "/test", "postgres", null)
            .apply(null);
    // JdbcIO connects and prepares outside its retry loop: neither may throw while the server is away
    try (java.sql.Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?)");
      ps.setLong(1, 7);
      ps.addBatch();
      SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, ps::executeBatch);
      assertTrue(ResilientPostgres.isTransient(e), e.getSQLState() + " " + e.getMessage());
      assertTrue(e.getMessage().contains("refused"), e.getMessage());
      c.rollback(); // JdbcIO rolls back before backing off
      ps.close();
    }
  }

  @Test
  void aWrongDatabaseIsNotWaitedFor() {
    javax.sql.DataSource ds =
        ResilientPostgres.dataSourceProvider(
                System.getenv()
                    .getOrDefault("DW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres")
                    .replaceFirst("/[^/?]+(\\?|$)", "/no_such_db_dw$1"),
                null,
                null)
            .apply(null);
    SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, ds::getConnection);
    assertFalse(ResilientPostgres.isTransient(e), e.getSQLState() + " " + e.getMessage());
  }
}
