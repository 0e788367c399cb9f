package dw.io.warehouse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;

/**
 * Which keys an upsert table of the embedded warehouse may already hold, so that a write deletes
 * only those before appending its rows ({@link DuckDbStore#write}). It knows the values of the
 * table's first key column (a day, an hour, a file) that had rows when the store first wrote the
 * table, and the 64-bit hashes of every key the store has written to it since: DuckDB lets one
 * process open a file, and the store is its only writer (rows that another connection of the same
 * JVM adds to an upsert table while the store is open are not seen: nothing in the project does). A key whose first-key value had rows, or
 * whose hash was written, may be there; any other key is certainly not. Two keys with one hash cost
 * a needless delete, never a duplicate.
 *
 * <p>A backfill of new days deletes nothing this way, however small its batches (the deletes scan
 * the whole table's key columns once per batch). Past {@link #MAX_KEYS} keys (a long-running
 * stream) or {@link #MAX_SCOPES} first-key values the ledger gives up, and every key may be there,
 * as before it.
 */
final class KeyLedger {
  static final int MAX_KEYS = 1 << 22;
  static final int MAX_SCOPES = 100_000;

  private final int[] keyIdx;
  private final ColumnType scopeType;
  private final int maxKeys;
  /** First-key values that had rows before this ledger; null once it has given up. */
  private Set<Object> oldScopes;
  /** Open addressing over the written keys' hashes (0 = empty; a hash of 0 is kept as 1). */
  private long[] slots = new long[1 << 10];
  private int size;

  KeyLedger(TableSpec spec, Set<Object> oldScopes, int maxKeys) {
    this.keyIdx = spec.keyIndexes();
    this.scopeType = spec.columns().get(keyIdx[0]).type();
    this.oldScopes = oldScopes;
    this.maxKeys = maxKeys;
  }

  /** The ledger of a table as the file holds it now (one scan of its first key column). */
  static KeyLedger load(Connection conn, TableSpec spec) throws SQLException {
    String k = spec.keyColumns().get(0);
    ColumnType type = spec.columns().get(spec.indexOf(k)).type();
    String expr =
        switch (type) {
          case DATE -> "date_diff('day', DATE '1970-01-01', " + k + ")";
          case TIMESTAMP -> "epoch_us(" + k + ")";
          case INTEGER, BIGINT -> "CAST(" + k + " AS BIGINT)";
          case TEXT, BOOLEAN -> k;
        };
    Set<Object> scopes = new HashSet<>();
    try (Statement st = conn.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT DISTINCT " + expr + " FROM " + spec.name() + " LIMIT " + (MAX_SCOPES + 1))) {
      while (rs.next()) {
        scopes.add(
            switch (type) {
              case DATE, TIMESTAMP, INTEGER, BIGINT -> rs.getLong(1);
              case TEXT -> rs.getString(1);
              case BOOLEAN -> rs.getBoolean(1);
            });
      }
    }
    return new KeyLedger(spec, scopes.size() > MAX_SCOPES ? null : scopes, MAX_KEYS);
  }

  /** Whether the table may hold a row with {@code row}'s key. */
  boolean mayHold(Object[] row) {
    if (oldScopes == null || oldScopes.contains(scope(row[keyIdx[0]]))) {
      return true;
    }
    long h = hash(row);
    int mask = slots.length - 1;
    for (int i = (int) h & mask; slots[i] != 0; i = (i + 1) & mask) {
      if (slots[i] == h) {
        return true;
      }
    }
    return false;
  }

  /**
   * Notes that the table holds {@code row}'s key from now on, and tells whether it may have held it
   * before ({@link #mayHold} and the note in one hash). A write's keys are distinct ({@link
   * PendingRows}), so noting them one by one answers for each as if none of them were noted yet.
   */
  boolean add(Object[] row) {
    if (oldScopes == null) {
      return true;
    }
    boolean old = oldScopes.contains(scope(row[keyIdx[0]]));
    if (size >= maxKeys) {
      oldScopes = null; // given up: every key may be there from now on
      slots = new long[1];
      return true;
    }
    long h = hash(row);
    int mask = slots.length - 1;
    int i = (int) h & mask;
    while (slots[i] != 0) {
      if (slots[i] == h) {
        return true;
      }
      i = (i + 1) & mask;
    }
    slots[i] = h;
    if (++size * 2 > slots.length) {
      grow();
    }
    return old;
  }

  /** Whether the ledger has given up (every key may be there). */
  boolean gaveUp() {
    return oldScopes == null;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    int mask = slots.length - 1;
    for (long h : old) {
      if (h != 0) {
        int i = (int) h & mask;
        while (slots[i] != 0) {
          i = (i + 1) & mask;
        }
        slots[i] = h;
      }
    }
  }

  private Object scope(Object v) {
    return switch (scopeType) {
      case DATE -> ((LocalDate) v).toEpochDay();
      case TIMESTAMP -> DuckDbStore.epochMicros((Instant) v);
      case INTEGER, BIGINT -> ((Number) v).longValue();
      case TEXT, BOOLEAN -> v;
    };
  }

  private long hash(Object[] row) {
    long h = 0x9E3779B97F4A7C15L;
    for (int k : keyIdx) {
      h = (h ^ valueHash(row[k])) * 0xBF58476D1CE4E5B9L;
      h ^= h >>> 31;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }

  private static long valueHash(Object v) {
    if (v instanceof String s) {
      long h = 0xCBF29CE484222325L; // FNV-1a over the chars, 64 bits
      for (int i = 0; i < s.length(); i++) {
        h = (h ^ s.charAt(i)) * 0x100000001B3L;
      }
      return h;
    }
    if (v instanceof LocalDate d) {
      return d.toEpochDay() * 0x9E3779B97F4A7C15L;
    }
    if (v instanceof Instant t) {
      return DuckDbStore.epochMicros(t) * 0x9E3779B97F4A7C15L;
    }
    if (v instanceof Number n) {
      return n.longValue() * 0x9E3779B97F4A7C15L;
    }
    return v == null ? 0 : v.hashCode();
  }
}
