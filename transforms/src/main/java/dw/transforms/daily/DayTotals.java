package dw.transforms.daily;

import dw.transforms.common.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
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
    Map<BreakdownKey, long[]> sums = new TreeMap<>();
    for (TotalsContribution c : contributions) {
      if (c.excluded) {
        continue;
      }
      long[] s = sums.computeIfAbsent(c.breakdown, k -> new long[4]);
      s[0]++;
      s[1] += c.activeUsers;
      s[2] += c.maxActiveUsers;
      s[3] += c.registeredUsers;
    }
    List<Row> rows = new ArrayList<>(sums.size());
    sums.forEach((k, s) -> rows.add(new Row(k, s[0], s[1], s[2], s[3])));
    return new DayTotals(logEpochDay, rows);
  }

  public long activeServers() {
    long n = 0;
    for (Row r : rows) {
      n += r.activeServers;
    }
    return n;
  }

  public static final class Coder extends AtomicCoder<DayTotals> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(DayTotals t, OutputStream out) throws IOException {
      Codec.writeVarInt(out, t.logEpochDay);
      Codec.writeVarInt(out, t.rows.size());
      for (Row r : t.rows) {
        BreakdownKey.Coder.of().encode(r.key, out);
        Codec.writeVarLong(out, r.activeServers);
        Codec.writeVarLong(out, r.activeUsers);
        Codec.writeVarLong(out, r.maxActiveUsers);
        Codec.writeVarLong(out, r.registeredUsers);
      }
    }

    @Override
    public DayTotals decode(InputStream in) throws IOException {
      int day = Codec.readVarInt(in);
      int n = Codec.readVarInt(in);
      List<Row> rows = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        rows.add(
            new Row(
                BreakdownKey.Coder.of().decode(in),
                Codec.readVarLong(in),
                Codec.readVarLong(in),
                Codec.readVarLong(in),
                Codec.readVarLong(in)));
      }
      return new DayTotals(day, rows);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
