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
}
