package dw.transforms.daily;

import dw.transforms.common.BlockCoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * The complete totals of one UTC day, one row per breakdown: a snapshot that replaces the day's
 * earlier snapshot downstream. Servers with any exclusion reason that day are left out.
 */
@DefaultCoder(DayTotals.Coder.class)
public record DayTotals(int logEpochDay, List<Row> rows) {

  /** One breakdown's totals. */
  public record Row(
      BreakdownKey key,
      long activeServers,
      long activeUsers,
      long maxActiveUsers,
      long registeredUsers) {}

  /** Sums the non-excluded contributions by breakdown, in breakdown order. */
  public static DayTotals of(int logEpochDay, Collection<TotalsContribution> contributions) {
    Map<BreakdownKey, long[]> sums = new HashMap<>();
    for (TotalsContribution c : contributions) {
      add(sums, c);
    }
    return ofSums(logEpochDay, sums);
  }

  /**
   * Adds a contribution to per-breakdown sums {servers, active users, max active users, registered
   * users}; excluded servers are left out.
   */
  public static void add(Map<BreakdownKey, long[]> sums, TotalsContribution c) {
    if (c.excluded) {
      return;
    }
    long[] s = sums.computeIfAbsent(c.breakdown, k -> new long[4]);
    s[0]++;
    s[1] += c.activeUsers;
    s[2] += c.maxActiveUsers;
    s[3] += c.registeredUsers;
  }

  /** The totals of per-breakdown sums (see {@link #add}), in breakdown order. */
  public static DayTotals ofSums(int logEpochDay, Map<BreakdownKey, long[]> sums) {
    List<Row> rows = new ArrayList<>(sums.size());
    new TreeMap<>(sums).forEach((k, s) -> rows.add(new Row(k, s[0], s[1], s[2], s[3])));
    return new DayTotals(logEpochDay, rows);
  }

  /**
   * The row-by-row sum of two totals of the same day (of disjoint sets of servers), in breakdown
   * order; the day is {@code b}'s when {@code a}'s is unset (-1).
   */
  public static DayTotals sum(DayTotals a, DayTotals b) {
    if (a.rows.isEmpty() && a.logEpochDay == -1) {
      return b;
    }
    if (b.rows.isEmpty() && b.logEpochDay == -1) {
      return a;
    }
    Map<BreakdownKey, long[]> sums = new HashMap<>();
    for (DayTotals t : List.of(a, b)) {
      for (Row r : t.rows) {
        long[] s = sums.computeIfAbsent(r.key, k -> new long[4]);
        s[0] += r.activeServers;
        s[1] += r.activeUsers;
        s[2] += r.maxActiveUsers;
        s[3] += r.registeredUsers;
      }
    }
    return ofSums(a.logEpochDay == -1 ? b.logEpochDay : a.logEpochDay, sums);
  }

  public long activeServers() {
    long n = 0;
    for (Row r : rows) {
      n += r.activeServers;
    }
    return n;
  }

  public static final class Coder extends BlockCoder<DayTotals> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(DayTotals t, Writer w) {
      w.writeVarInt(t.logEpochDay);
      w.writeVarInt(t.rows.size());
      for (Row row : t.rows) {
        BreakdownKey.Coder.of().write(row.key, w);
        w.writeVarLong(row.activeServers);
        w.writeVarLong(row.activeUsers);
        w.writeVarLong(row.maxActiveUsers);
        w.writeVarLong(row.registeredUsers);
      }
    }

    @Override
    public DayTotals read(Reader r) throws IOException {
      int day = r.readVarInt();
      int n = r.readVarInt();
      List<Row> rows = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        rows.add(
            new Row(
                BreakdownKey.Coder.of().read(r),
                r.readVarLong(),
                r.readVarLong(),
                r.readVarLong(),
                r.readVarLong()));
      }
      return new DayTotals(day, rows);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
