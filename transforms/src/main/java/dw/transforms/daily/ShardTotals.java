package dw.transforms.daily;

import dw.transforms.common.BlockCoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The totals of one day over one shard of its servers, as of one firing of that shard's window
 * ({@code version}: the pane index, which grows with each firing). The day's totals are the sum of
 * the newest totals of every shard ({@link Latest}), so a refined shard replaces its earlier
 * contribution and never adds to it.
 */
public record ShardTotals(int shard, long version, DayTotals totals) {

  /** The newest {@link ShardTotals} per shard of one day. */
  public static final class Latest {
    final Map<Integer, ShardTotals> byShard = new HashMap<>();

    public Latest add(ShardTotals t) {
      byShard.merge(t.shard, t, (a, b) -> b.version >= a.version ? b : a);
      return this;
    }

    public Latest merge(Latest other) {
      for (ShardTotals t : other.byShard.values()) {
        add(t);
      }
      return this;
    }

    /** The sum over shards, in breakdown order. */
    public DayTotals sum(int logEpochDay) {
      DayTotals sum = new DayTotals(-1, List.of());
      for (ShardTotals t : new TreeMap<>(byShard).values()) {
        sum = DayTotals.sum(sum, t.totals);
      }
      return new DayTotals(logEpochDay, sum.rows());
    }

    public int shards() {
      return byShard.size();
    }
  }

  public static final class Coder extends BlockCoder<ShardTotals> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(ShardTotals t, Writer w) {
      w.writeVarInt(t.shard);
      w.writeVarLong(t.version);
      DayTotals.Coder.of().write(t.totals, w);
    }

    @Override
    public ShardTotals read(Reader r) throws IOException {
      return new ShardTotals(r.readVarInt(), r.readVarLong(), DayTotals.Coder.of().read(r));
    }
  }

  public static final class LatestCoder extends BlockCoder<Latest> {
    private static final LatestCoder INSTANCE = new LatestCoder();

    public static LatestCoder of() {
      return INSTANCE;
    }

    @Override
    public void write(Latest l, Writer w) {
      List<ShardTotals> all = new ArrayList<>(new TreeMap<>(l.byShard).values());
      w.writeVarInt(all.size());
      for (ShardTotals t : all) {
        Coder.of().write(t, w);
      }
    }

    @Override
    public Latest read(Reader r) throws IOException {
      Latest l = new Latest();
      int n = r.readVarInt();
      for (int i = 0; i < n; i++) {
        l.add(Coder.of().read(r));
      }
      return l;
    }
  }
}
