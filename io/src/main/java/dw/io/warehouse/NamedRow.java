package dw.io.warehouse;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A row of a table built by column name ({@link TableSpec#row()}), for {@link TableBinding}s: each
 * value lands in the column it names whatever order it is set in, so two columns of one type cannot
 * be swapped silently as in a positional {@code Object[]}. Unknown columns, values of the wrong Java
 * type, a column set twice, a null in a key column and a column left unset all fail at once, naming
 * the table and the column.
 */
public final class NamedRow {
  private final TableSpec spec;
  private final TableSpec.Layout layout;
  private final Object[] values;
  private final boolean[] set;
  /** The column after the last one set: bindings set columns in table order, checked first. */
  private int next;

  NamedRow(TableSpec spec) {
    this.spec = spec;
    this.layout = spec.layout();
    this.values = new Object[layout.names().length];
    this.set = new boolean[values.length];
  }

  public NamedRow set(String column, Object value) {
    String[] names = layout.names();
    int i = next;
    if (i >= names.length || (names[i] != column && !names[i].equals(column))) {
      i = spec.indexOf(column);
      if (i < 0) {
        throw new IllegalArgumentException(spec.name() + ": no column " + column);
      }
    }
    if (set[i]) {
      throw new IllegalStateException(spec.name() + "." + column + " set twice");
    }
    if (value == null) {
      if (!layout.nullable()[i]) {
        throw new IllegalArgumentException(spec.name() + "." + column + " must not be null");
      }
    } else if (!layout.javaTypes()[i].isInstance(value)) {
      throw new IllegalArgumentException(
          spec.name() + "." + column + " is " + layout.types()[i] + ", not " + value.getClass().getSimpleName());
    }
    values[i] = value;
    set[i] = true;
    next = i + 1;
    return this;
  }

  /** The row in the table's column order. */
  public Object[] values() {
    for (int i = 0; i < set.length; i++) {
      if (!set[i]) {
        throw new IllegalStateException(spec.name() + "." + layout.names()[i] + " not set");
      }
    }
    return values;
  }

  static Class<?> javaType(ColumnType t) {
    return switch (t) {
      case TEXT -> String.class;
      case INTEGER -> Integer.class;
      case BIGINT -> Long.class;
      case BOOLEAN -> Boolean.class;
      case DATE -> LocalDate.class;
      case TIMESTAMP -> Instant.class;
    };
  }
}
