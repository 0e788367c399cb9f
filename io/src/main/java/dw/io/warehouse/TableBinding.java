package dw.io.warehouse;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * How elements of type {@code T} become rows of one table. For an {@link TableSpec.WriteMode#UPSERT}
 * table each element gives exactly one row; for {@link TableSpec.WriteMode#REPLACE_SCOPE} each
 * element is the complete snapshot of one scope (all its rows, possibly none).
 *
 * <p>Row values are typed by {@link ColumnType}: TEXT String, INTEGER Integer, BIGINT Long,
 * BOOLEAN Boolean, DATE {@link java.time.LocalDate}, TIMESTAMP {@link java.time.Instant}; null
 * for SQL NULL.
 */
public interface TableBinding<T> extends Serializable {
  TableSpec spec();

  void rows(T element, Consumer<Object[]> out);

  /**
   * The event time (epoch ms) of an element's newest record, for the table's freshness gauge
   * ({@code newest_event_millis_<table>}); {@link Long#MIN_VALUE}: the table has none.
   */
  default long eventTimeMillis(T element) {
    return Long.MIN_VALUE;
  }

  /** For REPLACE_SCOPE tables: the scope value of a snapshot element (even when it is empty). */
  default Object scope(T element) {
    throw new UnsupportedOperationException(spec().name() + " is not a snapshot table");
  }
}
