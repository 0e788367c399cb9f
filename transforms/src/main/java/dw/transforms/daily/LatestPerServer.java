package dw.transforms.daily;

import dw.transforms.common.BlockCoder;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Accumulator of a day's totals: the newest contribution of each server. Because a refined
 * server-day (a later, accumulating pane) replaces its earlier contribution instead of adding to
 * it, early and late firings of the per-server step never double-count in the totals. "Newest
 * wins" is associative and commutative, so the combine can be lifted before the shuffle.
 */
public final class LatestPerServer {
  private final Map<String, TotalsContribution> byServer;

  public LatestPerServer() {
    this(new HashMap<>());
  }

  private LatestPerServer(Map<String, TotalsContribution> byServer) {
    this.byServer = byServer;
  }

  public LatestPerServer add(TotalsContribution c) {
    TotalsContribution old = byServer.get(c.serverId);
    if (old == null || c.newerThan(old)) {
      byServer.put(c.serverId, c);
    }
    return this;
  }

  public LatestPerServer merge(LatestPerServer o) {
    for (TotalsContribution c : o.byServer.values()) {
      add(c);
    }
    return this;
  }

  public Collection<TotalsContribution> contributions() {
    return byServer.values();
  }

  public int size() {
    return byServer.size();
  }

  public static final class Coder extends BlockCoder<LatestPerServer> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(LatestPerServer acc, Writer w) {
      w.writeVarInt(acc.byServer.size());
      for (TotalsContribution c : acc.byServer.values()) {
        TotalsContribution.Coder.of().write(c, w);
      }
    }

    @Override
    public LatestPerServer read(Reader r) throws IOException {
      int n = r.readVarInt();
      Map<String, TotalsContribution> m = new HashMap<>(Math.max(16, n * 4 / 3 + 1));
      for (int i = 0; i < n; i++) {
        TotalsContribution c = TotalsContribution.Coder.of().read(r);
        m.put(c.serverId, c);
      }
      return new LatestPerServer(m);
    }
  }
}
