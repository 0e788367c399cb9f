package dw.io.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

class WarehouseUrlTest {
  @Test
  void emptyMeansTheEmbeddedDefault() {
    WarehouseUrl u = WarehouseUrl.parse("");
    assertEquals(Dialect.DUCKDB, u.dialect());
    assertEquals(Paths.get("data/warehouse.duckdb").toAbsolutePath().normalize().toString(), u.duckDbFile());
  }

  @Test
  void acceptsDuckDbAndPostgres() {
    assertEquals(Dialect.DUCKDB, WarehouseUrl.parse("jdbc:duckdb:/tmp/x.duckdb").dialect());
    assertEquals(Dialect.DUCKDB, WarehouseUrl.parse("/tmp/x.duckdb").dialect());
    assertEquals(
        Dialect.POSTGRES, WarehouseUrl.parse("jdbc:postgresql://127.0.0.1:5432/test").dialect());
  }

  @Test
  void neverPrintsAPassword() {
    WarehouseUrl u = WarehouseUrl.parse("jdbc:postgresql://h/db?user=u&password=s3cret&ssl=true");
    assertFalse(u.toString().contains("s3cret"), u.toString());
    assertTrue(u.toString().contains("password=***"));
  }

  @Test
  void rejectsWhatItCannotWriteWithAClearMessage() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WarehouseUrl.parse("jdbc:mysql://h/db"));
    assertTrue(e.getMessage().startsWith("--warehouse=jdbc:mysql://h/db"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> WarehouseUrl.parse("jdbc:duckdb::memory:"));
    assertTrue(e.getMessage().contains("in-memory"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> WarehouseUrl.parse("warehouse"));
    assertTrue(e.getMessage().contains("not a warehouse URL"), e.getMessage());
  }

  @Test
  void postgresSqlIsAnUpsertOnTheKey() {
    assertEquals(
        "INSERT INTO kv (k, v, seen_at, flag) VALUES (?, ?, ?, ?) ON CONFLICT (k) DO UPDATE SET v ="
            + " EXCLUDED.v, seen_at = EXCLUDED.seen_at, flag = EXCLUDED.flag",
        PostgresSql.upsert(DuckDbStoreTest.KV));
  }
}
