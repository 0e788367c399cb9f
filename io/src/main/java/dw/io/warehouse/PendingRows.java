package dw.io.warehouse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows waiting to be written to one table. A newer row replaces a pending row with the same key
 * (UPSERT), and a newer snapshot replaces a pending snapshot of the same scope (REPLACE_SCOPE), so
 * a flush never carries two versions of one key and refinements keep their order.
 */
public final class PendingRows {
  private final TableSpec spec;
  private final int[] keyIdx;
  private final Map<Object, Object[]> upserts = new LinkedHashMap<>();
  private final Map<Object, List<Object[]>> snapshots = new LinkedHashMap<>();
  private int rowCount;

  public PendingRows(TableSpec spec) {
    this.spec = spec;
    this.keyIdx = spec.keyIndexes();
  }

  public TableSpec spec() {
    return spec;
  }

  public void addRow(Object[] row) {
    if (row.length != spec.columns().size()) {
      throw new IllegalArgumentException(
          spec.name() + ": row has " + row.length + " values, table has " + spec.columns().size());
    }
    Object key;
    if (keyIdx.length == 1) {
      key = row[keyIdx[0]];
    } else {
      Object[] k = new Object[keyIdx.length];
      for (int i = 0; i < k.length; i++) {
        k[i] = row[keyIdx[i]];
      }
      key = Arrays.asList(k);
    }
    if (upserts.put(key, row) == null) {
      rowCount++;
    }
  }

  public void addSnapshot(Object scope, List<Object[]> rows) {
    List<Object[]> old = snapshots.put(scope, rows);
    rowCount += rows.size() - (old == null ? 0 : old.size());
  }

  public boolean isEmpty() {
    return upserts.isEmpty() && snapshots.isEmpty();
  }

  public int rowCount() {
    return rowCount;
  }

  public Collection<Object[]> upsertRows() {
    return upserts.values();
  }

  public Map<Object, List<Object[]>> snapshots() {
    return snapshots;
  }

  /** All rows (snapshots flattened), in arrival order. */
  public List<Object[]> allRows() {
    List<Object[]> all = new ArrayList<>(rowCount);
    all.addAll(upserts.values());
    for (List<Object[]> s : snapshots.values()) {
      all.addAll(s);
    }
    return all;
  }

  public void clear() {
    upserts.clear();
    snapshots.clear();
    rowCount = 0;
  }
}
