package dw.transforms.daily;

import dw.transforms.common.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;

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

  public static final class Coder extends AtomicCoder<LatestPerServer> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(LatestPerServer acc, OutputStream out) throws IOException {
      Codec.writeVarInt(out, acc.byServer.size());
      for (TotalsContribution c : acc.byServer.values()) {
        TotalsContribution.Coder.of().encode(c, out);
      }
    }

    @Override
    public LatestPerServer decode(InputStream in) throws IOException {
      int n = Codec.readVarInt(in);
      Map<String, TotalsContribution> m = new HashMap<>(Math.max(16, n * 4 / 3 + 1));
      for (int i = 0; i < n; i++) {
        TotalsContribution c = TotalsContribution.Coder.of().decode(in);
        m.put(c.serverId, c);
      }
      return new LatestPerServer(m);
    }
  }
}
