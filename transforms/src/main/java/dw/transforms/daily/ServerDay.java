package dw.transforms.daily;

import dw.transforms.security.ExclusionReason;
import dw.transforms.security.SecurityPing;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One server's day, built from its pings in any order (the combine accumulator and the result).
 *
 * <p>The day's <b>latest</b> ping supplies the attributes and {@code active_users} (current rule);
 * {@code max_active_users} is the largest {@code auc} of the day (legacy rule); exclusion reasons
 * are the union over the day's pings. "Latest" is a total order, so merging in any order gives the
 * same result: event time, then the larger {@code auc}, then the other fields (only exact duplicate
 * lines compare equal, and those are interchangeable).
 *
 * <p>Distinct client IPs are counted by their keyed 64-bit fingerprints ({@link
 * SecurityPing#clientIpFingerprint()}), kept as a sorted {@code long[]}: no address, clear or
 * hashed as text, sits in the combine's state. Two different addresses of one server-day count as
 * one only if their fingerprints collide: probability about n²/2⁶⁵ for n addresses (see
 * docs/privacy.md).
 */
public final class ServerDay {
  private SecurityPing latest;
  private long pings;
  private Long maxActiveUsers;
  private long firstPingMillis = Long.MAX_VALUE;
  private long lastPingMillis = Long.MIN_VALUE;
  private int exclusionMask;
  /**
   * Distinct client-IP fingerprints and versions of the day: sorted arrays, replaced (never changed)
   * on add.
   */
  private long[] ips = NO_IPS;
  private String[] versions = NONE;

  private static final String[] NONE = new String[0];
  private static final long[] NO_IPS = new long[0];

  public ServerDay() {}

  /** Rebuilds a day from its encoded parts (the coder). */
  public ServerDay(
      SecurityPing latest,
      long pings,
      Long maxActiveUsers,
      long firstPingMillis,
      long lastPingMillis,
      int exclusionMask,
      long[] ips,
      List<String> versions) {
    this.latest = latest;
    this.pings = pings;
    this.maxActiveUsers = maxActiveUsers;
    this.firstPingMillis = firstPingMillis;
    this.lastPingMillis = lastPingMillis;
    this.exclusionMask = exclusionMask;
    this.ips = sortedDistinct(ips);
    this.versions = sortedDistinct(versions);
  }

  /** A copy that shares the (immutable) ping and sets; changing one does not change the other. */
  public ServerDay copy() {
    ServerDay c = new ServerDay();
    c.latest = latest;
    c.pings = pings;
    c.maxActiveUsers = maxActiveUsers;
    c.firstPingMillis = firstPingMillis;
    c.lastPingMillis = lastPingMillis;
    c.exclusionMask = exclusionMask;
    c.ips = ips;
    c.versions = versions;
    return c;
  }

  public ServerDay add(SecurityPing p) {
    pings++;
    if (latest == null || isLater(p, latest)) {
      latest = p;
    }
    Long auc = p.activeUsers();
    if (auc != null && (maxActiveUsers == null || auc > maxActiveUsers)) {
      maxActiveUsers = auc;
    }
    firstPingMillis = Math.min(firstPingMillis, p.eventTimeMillis());
    lastPingMillis = Math.max(lastPingMillis, p.eventTimeMillis());
    exclusionMask |= p.exclusionMask();
    if (p.clientIpHash() != null) {
      ips = with(ips, p.clientIpFingerprint());
    }
    if (p.versionFull() != null) {
      versions = with(versions, p.versionFull());
    }
    return this;
  }

  public ServerDay merge(ServerDay o) {
    if (o.pings == 0) {
      return this;
    }
    pings += o.pings;
    if (latest == null || isLater(o.latest, latest)) {
      latest = o.latest;
    }
    if (o.maxActiveUsers != null
        && (maxActiveUsers == null || o.maxActiveUsers > maxActiveUsers)) {
      maxActiveUsers = o.maxActiveUsers;
    }
    firstPingMillis = Math.min(firstPingMillis, o.firstPingMillis);
    lastPingMillis = Math.max(lastPingMillis, o.lastPingMillis);
    exclusionMask |= o.exclusionMask;
    ips = union(ips, o.ips);
    versions = union(versions, o.versions);
    return this;
  }

  /** True when {@code a} comes after {@code b} in the "latest ping" order. */
  static boolean isLater(SecurityPing a, SecurityPing b) {
    int c = Long.compare(a.eventTimeMillis(), b.eventTimeMillis());
    if (c == 0) {
      c = compareNullable(a.activeUsers(), b.activeUsers());
    }
    if (c == 0) {
      c = compareNullable(a.registeredUsers(), b.registeredUsers());
    }
    if (c == 0) {
      c = compareNullable(a.build(), b.build());
    }
    if (c == 0) {
      c = compareNullable(a.clientIpHash(), b.clientIpHash());
    }
    if (c == 0) {
      c = compareNullable(a.edition(), b.edition());
    }
    if (c == 0) {
      c = compareNullable(a.database(), b.database());
    }
    if (c == 0) {
      c = compareNullable(a.os(), b.os());
    }
    if (c == 0) {
      c = compareNullable(a.teams(), b.teams());
    }
    if (c == 0) {
      c = Integer.compare(a.exclusionMask(), b.exclusionMask());
    }
    return c > 0;
  }

  private static <T extends Comparable<T>> int compareNullable(T a, T b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    return a.compareTo(b);
  }

  public boolean isEmpty() {
    return pings == 0;
  }

  public SecurityPing latest() {
    return latest;
  }

  public String serverId() {
    return latest.serverId();
  }

  public int logEpochDay() {
    return latest.logEpochDay();
  }

  public long pings() {
    return pings;
  }

  /** {@code auc} of the day's latest ping (null when that ping had none). */
  public Long activeUsers() {
    return latest.activeUsers();
  }

  public Long maxActiveUsers() {
    return maxActiveUsers;
  }

  public long firstPingMillis() {
    return firstPingMillis;
  }

  public long lastPingMillis() {
    return lastPingMillis;
  }

  public int exclusionMask() {
    return exclusionMask;
  }

  public boolean excluded() {
    return exclusionMask != 0;
  }

  public String exclusionReasons() {
    return ExclusionReason.joined(exclusionMask);
  }

  public int distinctIps() {
    return ips.length;
  }

  public int distinctVersions() {
    return versions.length;
  }

  /** The distinct client-IP fingerprints, sorted (a copy), for a deterministic encoding. */
  public long[] ipFingerprints() {
    return ips.clone();
  }

  /** {@link #ipFingerprints} without the copy, for the coder (never change it). */
  long[] sharedIpFingerprints() {
    return ips;
  }

  public List<String> sortedVersions() {
    return Arrays.asList(versions);
  }

  /** {@code set} with {@code s} (the same array when already there). */
  static String[] with(String[] set, String s) {
    if (set.length == 1 && set[0].equals(s)) {
      return set;
    }
    int i = Arrays.binarySearch(set, s);
    if (i >= 0) {
      return set;
    }
    i = -i - 1;
    String[] n = new String[set.length + 1];
    System.arraycopy(set, 0, n, 0, i);
    n[i] = s;
    System.arraycopy(set, i, n, i + 1, set.length - i);
    return n;
  }

  /** {@code set} with {@code v} (the same array when already there). */
  static long[] with(long[] set, long v) {
    if (set.length == 1 && set[0] == v) {
      return set;
    }
    int i = Arrays.binarySearch(set, v);
    if (i >= 0) {
      return set;
    }
    i = -i - 1;
    long[] n = new long[set.length + 1];
    System.arraycopy(set, 0, n, 0, i);
    n[i] = v;
    System.arraycopy(set, i, n, i + 1, set.length - i);
    return n;
  }

  static long[] union(long[] a, long[] b) {
    if (b.length == 0 || a == b) {
      return a;
    }
    if (a.length == 0) {
      return b;
    }
    long[] r = a;
    for (long v : b) {
      r = with(r, v);
    }
    return r;
  }

  private static long[] sortedDistinct(long[] values) {
    long[] r = NO_IPS;
    for (long v : values) {
      r = with(r, v);
    }
    return r;
  }

  static String[] union(String[] a, String[] b) {
    if (b.length == 0 || a == b) {
      return a;
    }
    if (a.length == 0) {
      return b;
    }
    String[] r = a;
    for (String s : b) {
      r = with(r, s);
    }
    return r;
  }

  private static String[] sortedDistinct(List<String> values) {
    String[] r = NONE;
    for (String v : values) {
      r = with(r, v);
    }
    return r;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ServerDay d)) {
      return false;
    }
    return pings == d.pings
        && firstPingMillis == d.firstPingMillis
        && lastPingMillis == d.lastPingMillis
        && exclusionMask == d.exclusionMask
        && Objects.equals(latest, d.latest)
        && Objects.equals(maxActiveUsers, d.maxActiveUsers)
        && Arrays.equals(ips, d.ips)
        && Arrays.equals(versions, d.versions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(latest, pings, maxActiveUsers, exclusionMask);
  }

  @Override
  public String toString() {
    return "ServerDay{"
        + (latest == null ? "empty" : latest.serverId() + "@" + latest.logEpochDay())
        + ", pings="
        + pings
        + ", auc="
        + (latest == null ? null : latest.activeUsers())
        + ", maxAuc="
        + maxActiveUsers
        + ", reasons="
        + ExclusionReason.joined(exclusionMask)
        + "}";
  }
}
