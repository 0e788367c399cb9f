package dw.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeoLookupsTest {

  @TempDir Path dir;

  @AfterEach
  void closeShared() {
    GeoLookups.closeAll();
  }

  private Path asnDb() {
    Path file = dir.resolve("asn.mmdb");
    try {
      new MmdbWriter("GeoLite2-ASN", 6, 24)
          .insert("81.2.69.0/24", GeoRecords.asnRecord(20712, "Andrews & Arnold Ltd"))
          .write(file);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return file;
  }

  @Test
  void sameInstanceForTheSamePaths() throws Exception {
    Path city = MmdbWriterTest.writeCityDb(dir, 24);
    GeoLookup first = GeoLookups.shared(city.toString(), null);
    assertSame(first, GeoLookups.shared(city.toString(), null));
    assertSame(first, GeoLookups.shared(dir.resolve("./x/../city-24.mmdb").toString(), null));
    assertEquals("London", first.lookup("81.2.69.1").city());

    Path asn = asnDb();
    GeoLookup withAsn = GeoLookups.shared(city.toString(), asn.toString());
    assertNotSame(first, withAsn);
    assertSame(withAsn, GeoLookups.shared(city.toString(), asn.toString()));
    assertEquals(20712L, withAsn.lookup("81.2.69.1").asn());
  }

  @Test
  void concurrentFirstUseOpensOnce() throws Exception {
    String city = MmdbWriterTest.writeCityDb(dir, 28).toString();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<GeoLookup>> tasks = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        tasks.add(() -> GeoLookups.shared(city, null));
      }
      GeoLookup expected = null;
      for (Future<GeoLookup> future : pool.invokeAll(tasks)) {
        if (expected == null) {
          expected = future.get();
        }
        assertSame(expected, future.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void callersCannotCloseASharedLookup() throws Exception {
    String city = MmdbWriterTest.writeCityDb(dir, 24).toString();
    GeoLookup shared = GeoLookups.shared(city, null);
    try (GeoLookup careless = GeoLookups.shared(city, null)) {
      assertEquals("GB", careless.lookup("81.2.69.1").countryIso());
    }
    assertEquals("GB", shared.lookup("81.2.69.1").countryIso());
    assertEquals(0, shared.lookupErrors());
  }

  @Test
  void closeAllClosesAndForgets() throws Exception {
    String city = MmdbWriterTest.writeCityDb(dir, 24).toString();
    GeoLookup before = GeoLookups.shared(city, null);
    GeoLookups.closeAll();
    assertSame(GeoInfo.EMPTY, before.lookup("81.2.69.1"));
    GeoLookup after = GeoLookups.shared(city, null);
    assertNotSame(before, after);
    assertEquals("GB", after.lookup("81.2.69.1").countryIso());
  }

  @Test
  void failedOpenIsNotCached() throws Exception {
    Path city = dir.resolve("later.mmdb");
    assertThrows(GeoDatabaseException.class, () -> GeoLookups.shared(city.toString(), null));
    MmdbWriterTest.cityWriter(24).write(city);
    assertEquals("GB", GeoLookups.shared(city.toString(), null).lookup("81.2.69.1").countryIso());
  }

  @Test
  void noneKnowsNothing() {
    GeoLookup none = GeoLookups.none();
    assertSame(none, GeoLookups.none());
    assertSame(GeoInfo.EMPTY, none.lookup("81.2.69.1"));
    assertTrue(GeoInfo.EMPTY.isEmpty());
    assertSame(GeoInfo.EMPTY, none.lookup(null));
    none.close();
    assertSame(GeoInfo.EMPTY, none.lookup("8.8.8.8"));
    assertEquals(0, none.lookupErrors());
  }
}
