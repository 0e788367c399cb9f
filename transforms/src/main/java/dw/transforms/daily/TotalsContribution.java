package dw.transforms.daily;

import dw.transforms.common.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
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

  public static final class Coder extends AtomicCoder<TotalsContribution> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(TotalsContribution c, OutputStream out) throws IOException {
      Codec.writeString(out, c.serverId);
      Codec.writeVarLong(out, c.pings);
      Codec.writeVarLong(out, c.lastPingMillis);
      BreakdownKey.Coder.of().encode(c.breakdown, out);
      Codec.writeVarLong(out, c.activeUsers);
      Codec.writeVarLong(out, c.maxActiveUsers);
      Codec.writeVarLong(out, c.registeredUsers);
      out.write(c.excluded ? 1 : 0);
    }

    @Override
    public TotalsContribution decode(InputStream in) throws IOException {
      return new TotalsContribution(
          Codec.readString(in),
          Codec.readVarLong(in),
          Codec.readVarLong(in),
          BreakdownKey.Coder.of().decode(in),
          Codec.readVarLong(in),
          Codec.readVarLong(in),
          Codec.readVarLong(in),
          in.read() == 1);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
