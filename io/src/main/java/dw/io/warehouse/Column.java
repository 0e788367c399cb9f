package dw.io.warehouse;

import java.io.Serializable;

/** One column of a warehouse table. */
public record Column(String name, ColumnType type, boolean nullable) implements Serializable {
  public static Column key(String name, ColumnType type) {
    return new Column(name, type, false);
  }

  public static Column of(String name, ColumnType type) {
    return new Column(name, type, true);
  }
}
