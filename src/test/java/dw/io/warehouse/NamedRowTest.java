package dw.io.warehouse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rows bound by column name: order-free, and every mistake named. */
class NamedRowTest {
  static final TableSpec T =
      TableSpec.upsert(
          "t",
          List.of(
              Column.key("hour", ColumnType.TIMESTAMP),
              Column.of("requests", ColumnType.BIGINT),
              Column.of("answered", ColumnType.BIGINT),
              Column.of("label", ColumnType.TEXT)),
          "hour");

  @Test
  void valuesLandInTheirColumnsWhateverTheOrder() {
    Instant h = Instant.parse("2026-10-01T10:00:00Z");
    Object[] row = T.row().set("answered", 7L).set("label", null).set("hour", h).set("requests", 9L).values();
    assertArrayEquals(new Object[] {h, 9L, 7L, null}, row);
  }

  @Test
  void valuesSetInTableOrderOrPartlySoLandInTheirColumns() {
    Instant h = Instant.parse("2026-10-01T10:00:00Z");
    assertArrayEquals(
        new Object[] {h, 9L, 7L, "x"},
        T.row().set("hour", h).set("requests", 9L).set("answered", 7L).set("label", "x").values());
    // in order, then back to a column before the last one set, then on from there
    assertArrayEquals(
        new Object[] {h, 9L, 7L, "x"},
        T.row().set("requests", 9L).set("answered", 7L).set("hour", h).set("label", "x").values());
    assertTrue(
        assertThrows(IllegalStateException.class, () -> T.row().set("hour", h).set("requests", 1L).set("hour", h))
            .getMessage().contains("set twice"));
  }

  @Test
  void mistakesAreNamed() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> T.row().set("request", 1L))
        .getMessage().contains("t: no column request"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> T.row().set("requests", 1))
        .getMessage().contains("t.requests is BIGINT, not Integer"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> T.row().set("hour", null))
        .getMessage().contains("t.hour must not be null"));
    assertTrue(assertThrows(IllegalStateException.class, () -> T.row().set("requests", 1L).set("requests", 2L))
        .getMessage().contains("set twice"));
    assertTrue(assertThrows(IllegalStateException.class, () -> T.row().set("requests", 1L).values())
        .getMessage().contains("t.hour not set"));
  }
}
