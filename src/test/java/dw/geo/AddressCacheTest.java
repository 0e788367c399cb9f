package dw.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AddressCacheTest {

  private static byte[] ip(String literal) {
    return IpAddresses.parse(literal);
  }

  private static GeoInfo country(String iso) {
    return new GeoInfo(iso, null, null, null, null, null, null);
  }

  @Test
  void returnsOnlyWhatWasPutForThatAddress() {
    AddressCache cache = new AddressCache(1 << 10);
    assertNull(cache.get(ip("81.2.69.1")));
    cache.put(ip("81.2.69.1"), country("GB"));
    assertEquals("GB", cache.get(ip("81.2.69.1")).countryIso());
    assertNull(cache.get(ip("81.2.69.2")));
  }

  @Test
  void addressesSharingAPairOfSlotsNeverGetEachOthersResult() {
    AddressCache cache = new AddressCache(2);
    cache.put(ip("81.2.69.1"), country("GB"));
    cache.put(ip("89.160.20.113"), country("SE"));
    assertEquals("GB", cache.get(ip("81.2.69.1")).countryIso(), "two addresses fit in the pair");
    assertEquals("SE", cache.get(ip("89.160.20.113")).countryIso());
    cache.put(ip("216.160.83.56"), country("US"));
    assertEquals("US", cache.get(ip("216.160.83.56")).countryIso());
    GeoInfo gb = cache.get(ip("81.2.69.1"));
    GeoInfo se = cache.get(ip("89.160.20.113"));
    assertTrue(gb == null ^ se == null, "the third replaced one of the two");
    assertEquals(gb == null ? "SE" : "GB", (gb == null ? se : gb).countryIso());
  }

  @Test
  void anIpv4AddressAndItsIpv6FormsAreDifferentKeys() {
    AddressCache cache = new AddressCache(2);
    cache.put(ip("1.2.3.4"), country("AU"));
    assertEquals(16, ip("::1.2.3.4").length);
    assertNull(cache.get(ip("::1.2.3.4")));
    assertNull(cache.get(ip("::ffff:1.2.3.4")));
    cache.put(ip("::ffff:1.2.3.4"), country("XX"));
    assertEquals("AU", cache.get(ip("1.2.3.4")).countryIso());
    assertEquals("XX", cache.get(ip("::ffff:1.2.3.4")).countryIso());
  }

  @Test
  void ipv6AddressesThatDifferOnlyInTheirFirstHalfAreDifferentKeys() {
    AddressCache cache = new AddressCache(2);
    cache.put(ip("2001:db8::1"), country("DE"));
    assertNull(cache.get(ip("2001:db9::1")));
    assertEquals("DE", cache.get(ip("2001:db8:0:0::1")).countryIso());
  }

  @Test
  void equalResultsAreStoredOnce() {
    AddressCache cache = new AddressCache(1 << 4);
    cache.put(ip("81.2.69.1"), new GeoInfo("GB", "United Kingdom", "ENG", "England", "London", null, null));
    cache.put(ip("81.2.69.2"), new GeoInfo("GB", "United Kingdom", "ENG", "England", "London", null, null));
    assertSame(cache.get(ip("81.2.69.1")), cache.get(ip("81.2.69.2")));
  }

  @Test
  void slotsMustBeAPowerOfTwo() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AddressCache(3));
    assertEquals("address cache slots must be a power of two of at least 2: 3", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new AddressCache(1));
    assertThrows(IllegalArgumentException.class, () -> new AddressCache(0));
  }

  /**
   * Threads put and get addresses that collide in a small cache at the same time: a result, when
   * one comes back, is always the one put for that address.
   */
  @Test
  void concurrentWritersNeverMixUpAddresses() throws Exception {
    AddressCache cache = new AddressCache(1 << 3);
    List<byte[]> addresses = new ArrayList<>();
    List<GeoInfo> results = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      addresses.add(ip("10.0." + (i / 16) + "." + (i % 16)));
      results.add(country("C" + i));
    }
    AtomicReference<String> wrong = new AtomicReference<>();
    AtomicInteger hits = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      long seed = t;
      threads.add(
          new Thread(
              () -> {
                Random random = new Random(seed);
                for (int n = 0; n < 200_000; n++) {
                  int i = random.nextInt(16) + 16 * (int) (seed % 2);
                  GeoInfo got = cache.get(addresses.get(i));
                  if (got == null) {
                    cache.put(addresses.get(i), results.get(i));
                  } else {
                    hits.incrementAndGet();
                    if (!got.countryIso().equals("C" + i)) {
                      wrong.compareAndSet(null, "address " + i + " got " + got.countryIso());
                    }
                  }
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertNull(wrong.get());
    assertTrue(hits.get() > 0, "some lookups hit");
  }
}
