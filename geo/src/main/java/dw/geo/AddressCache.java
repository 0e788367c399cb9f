package dw.geo;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The results of recent lookups of one pair of open databases, by address: a server pings from the
 * same address many times a day, and a backfill of a few days looks up each address about six
 * times, so most lookups can skip the search tree and the record cache (GeoIP was 15 % of a
 * backfill's Java execution samples, docs/performance.md "Eleventh round").
 *
 * <p>Two-way set-associative: a hash of an address's bytes picks a pair of slots, a new result
 * goes into an empty one of the two or else replaces the one the hash picks. So the cache never
 * grows beyond its slots, a long-running stream keeps the addresses it saw lately, and nothing needs
 * evicting. On the 627 000 addresses of the 3.4 M-line benchmark (bench/), 2^20 slots answer 77 %
 * of lookups (81 % would be every repeat; one slot per address instead of a pair, 69 %).
 * Thread-safe without locks: a slot holds one immutable entry (the address and its result),
 * written and read as one reference, so a reader sees a whole entry or none; two threads writing a
 * slot at once only lose one of the two results. An entry is returned only for the exact address
 * (its length and all its bytes), so a collision costs a lookup, never a wrong answer.
 *
 * <p>Results are shared: equal results (most addresses of a city) are stored once, up to {@link
 * #MAX_SHARED_RESULTS} distinct ones.
 */
final class AddressCache {

  /** Distinct results kept for sharing between entries; above this, entries keep their own. */
  static final int MAX_SHARED_RESULTS = 1 << 16;

  private final Entry[] slots;
  private final int mask;
  private final ConcurrentHashMap<GeoInfo, GeoInfo> shared = new ConcurrentHashMap<>();

  /** @param slots number of slots, a power of two of at least 2 */
  AddressCache(int slots) {
    if (slots < 2 || Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("address cache slots must be a power of two of at least 2: " + slots);
    }
    this.slots = new Entry[slots];
    this.mask = slots - 1;
  }

  /** The cached result for {@code address} (4 or 16 bytes), or {@code null}. */
  GeoInfo get(byte[] address) {
    long high = high(address);
    long low = low(address);
    long h = hash(high, low, address.length);
    int s = (int) h & mask;
    Entry e = slots[s];
    if (e != null && e.is(high, low, address.length)) {
      return e.info;
    }
    e = slots[s ^ 1];
    return e != null && e.is(high, low, address.length) ? e.info : null;
  }

  /** Keeps {@code info} as the result for {@code address} (4 or 16 bytes). */
  void put(byte[] address, GeoInfo info) {
    long high = high(address);
    long low = low(address);
    long h = hash(high, low, address.length);
    int s = (int) h & mask;
    if (slots[s] != null && (slots[s ^ 1] == null || (h & (1L << 40)) != 0)) {
      s ^= 1; // the other of the pair: empty, or the one the hash picks to replace
    }
    slots[s] = new Entry(high, low, address.length, share(info));
  }

  private GeoInfo share(GeoInfo info) {
    GeoInfo known = shared.get(info);
    if (known != null) {
      return known;
    }
    if (shared.size() >= MAX_SHARED_RESULTS) {
      return info;
    }
    known = shared.putIfAbsent(info, info);
    return known != null ? known : info;
  }

  private static long hash(long high, long low, int length) {
    long h = high * 0x9E3779B97F4A7C15L + low + length;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  /** The first 8 bytes of an IPv6 address; 0 for IPv4. */
  private static long high(byte[] a) {
    return a.length == 16 ? bytes(a, 0) : 0L;
  }

  /** The last 8 bytes of an IPv6 address, or the 4 of an IPv4 address. */
  private static long low(byte[] a) {
    return a.length == 16 ? bytes(a, 8) : bytes4(a);
  }

  private static long bytes(byte[] a, int from) {
    long v = 0;
    for (int i = from; i < from + 8; i++) {
      v = (v << 8) | (a[i] & 0xff);
    }
    return v;
  }

  private static long bytes4(byte[] a) {
    long v = 0;
    for (int i = 0; i < a.length; i++) {
      v = (v << 8) | (a[i] & 0xff);
    }
    return v;
  }

  private static final class Entry {
    final long high;
    final long low;
    final int length;
    final GeoInfo info;

    Entry(long high, long low, int length, GeoInfo info) {
      this.high = high;
      this.low = low;
      this.length = length;
      this.info = info;
    }

    boolean is(long high, long low, int length) {
      return this.low == low && this.high == high && this.length == length;
    }
  }
}
