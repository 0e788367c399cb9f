package dw.transforms.daily;

import dw.transforms.common.BlockCoder;
import java.io.IOException;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * What one server's day adds to the daily totals: its breakdown (attributes of the latest ping),
 * its latest and max {@code auc}, registered users, whether it is excluded, and a version (pings,
 * last ping time) so that a refined result of the same server-day replaces an earlier one.
 */
@DefaultCoder(TotalsContribution.Coder.class)
public final class TotalsContribution {
  public static final String UNKNOWN = "unknown";

  final String serverId;
  final long pings;
  final long lastPingMillis;
  final BreakdownKey breakdown;
  final long activeUsers;
  final long maxActiveUsers;
  final long registeredUsers;
  final boolean excluded;

  public TotalsContribution(
      String serverId,
      long pings,
      long lastPingMillis,
      BreakdownKey breakdown,
      long activeUsers,
      long maxActiveUsers,
      long registeredUsers,
      boolean excluded) {
    this.serverId = serverId;
    this.pings = pings;
    this.lastPingMillis = lastPingMillis;
    this.breakdown = breakdown;
    this.activeUsers = activeUsers;
    this.maxActiveUsers = maxActiveUsers;
    this.registeredUsers = registeredUsers;
    this.excluded = excluded;
  }

  /** A server-day's contribution; missing {@code auc}/{@code uc} count as 0. */
  public static TotalsContribution of(ServerDay d) {
    var p = d.latest();
    BreakdownKey key =
        new BreakdownKey(
            orUnknown(p.versionMajorMinor()),
            p.edition(),
            orUnknown(p.database()),
            orUnknown(p.os()),
            orUnknown(p.countryIso()));
    return new TotalsContribution(
        p.serverId(),
        d.pings(),
        d.lastPingMillis(),
        key,
        zeroIfNull(p.activeUsers()),
        zeroIfNull(d.maxActiveUsers()),
        zeroIfNull(p.registeredUsers()),
        d.excluded());
  }

  static String orUnknown(String s) {
    return s == null || s.isEmpty() ? UNKNOWN : s;
  }

  private static long zeroIfNull(Long v) {
    return v == null ? 0 : v;
  }

  /** True when this is a newer result of the same server-day than {@code o}. */
  boolean newerThan(TotalsContribution o) {
    int c = Long.compare(pings, o.pings);
    if (c == 0) {
      c = Long.compare(lastPingMillis, o.lastPingMillis);
    }
    if (c == 0) {
      // identical versions come from identical inputs; break ties deterministically anyway
      c = Integer.compare(hashCode(), o.hashCode());
    }
    return c > 0;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TotalsContribution t)) {
      return false;
    }
    return pings == t.pings
        && lastPingMillis == t.lastPingMillis
        && activeUsers == t.activeUsers
        && maxActiveUsers == t.maxActiveUsers
        && registeredUsers == t.registeredUsers
        && excluded == t.excluded
        && serverId.equals(t.serverId)
        && breakdown.equals(t.breakdown);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        serverId, pings, lastPingMillis, breakdown, activeUsers, maxActiveUsers, registeredUsers,
        excluded);
  }

  public static final class Coder extends BlockCoder<TotalsContribution> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void write(TotalsContribution c, Writer w) {
      w.writeString(c.serverId);
      w.writeVarLong(c.pings);
      w.writeVarLong(c.lastPingMillis);
      BreakdownKey.Coder.of().write(c.breakdown, w);
      w.writeVarLong(c.activeUsers);
      w.writeVarLong(c.maxActiveUsers);
      w.writeVarLong(c.registeredUsers);
      w.writeBoolean(c.excluded);
    }

    @Override
    public TotalsContribution read(Reader r) throws IOException {
      return new TotalsContribution(
          r.readString(),
          r.readVarLong(),
          r.readVarLong(),
          BreakdownKey.Coder.of().read(r),
          r.readVarLong(),
          r.readVarLong(),
          r.readVarLong(),
          r.readBoolean());
    }
  }
}
