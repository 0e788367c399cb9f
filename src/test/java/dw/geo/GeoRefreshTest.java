package dw.geo;

import static dw.geo.CityTestDatabases.NEW_BUILD;
import static dw.geo.CityTestDatabases.OLD_BUILD;
import static dw.geo.CityTestDatabases.cityDb;
import static dw.geo.CityTestDatabases.replaceByRename;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refreshing shared GeoIP databases that are replaced while a job runs. */
class GeoRefreshTest {

  @TempDir Path dir;

  @AfterEach
  void closeShared() {
    GeoLookups.closeAll();
  }

  private Path city(String name, long build) throws Exception {
    Path file = dir.resolve("GeoLite2-City.mmdb");
    Files.write(file, cityDb(name, build));
    return file;
  }

  @Test
  void swapsAReplacedFileWhileLookupsRunOnSeveralThreads() throws Exception {
    Path file = city("London", OLD_BUILD);
    GeoLookup shared = GeoLookups.shared(file.toString(), null, Duration.ofMillis(20));
    assertEquals(OLD_BUILD, shared.buildEpochSeconds());

    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch sawOld = new CountDownLatch(threads);
    List<Future<long[]>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        String ip = t % 2 == 0 ? "81.2.69.1" : "2a02:8000::7";
        results.add(
            pool.submit(
                () -> {
                  long oldAnswers = 0;
                  long newAnswers = 0;
                  // Runs until the new database has answered 10,000 times.
                  while (newAnswers < 10_000) {
                    String answer = shared.lookup(ip).city();
                    if ("London".equals(answer)) {
                      if (newAnswers > 0) {
                        throw new AssertionError("old answer after a new one for " + ip);
                      }
                      if (oldAnswers++ == 0) {
                        sawOld.countDown();
                      }
                    } else if ("Paris".equals(answer)) {
                      newAnswers++;
                    } else {
                      throw new AssertionError("failed lookup of " + ip + ": " + answer);
                    }
                  }
                  return new long[] {oldAnswers, newAnswers};
                }));
      }
      assertTrue(sawOld.await(60, TimeUnit.SECONDS), "lookup threads did not start");
      replaceByRename(file, cityDb("Paris", NEW_BUILD));
      for (Future<long[]> result : results) {
        long[] counts = result.get(60, TimeUnit.SECONDS);
        assertTrue(counts[0] > 0 && counts[1] == 10_000, Arrays.toString(counts));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(NEW_BUILD, shared.buildEpochSeconds());
    assertEquals(1, shared.refreshes());
    assertEquals(0, shared.refreshFailures());
    assertEquals(0, shared.lookupErrors());
    assertSame(shared, GeoLookups.shared(file.toString(), null, Duration.ofMillis(20)));
  }

  @Test
  void brokenReplacementKeepsTheOldDatabaseAndIsCountedOnce() throws Exception {
    Path file = city("London", OLD_BUILD);
    GeoLookups.Shared shared = (GeoLookups.Shared) GeoLookups.shared(file.toString(), null);
    byte[] good = cityDb("Paris", NEW_BUILD);
    byte[] garbledTree = good.clone();
    Arrays.fill(garbledTree, 0, 64, (byte) 0xFF); // search tree pointers beyond the file
    byte[] asn =
        new MmdbWriter("GeoLite2-ASN", 6, 24)
            .insert("81.2.69.0/24", GeoRecords.asnRecord(20712, "Andrews & Arnold Ltd"))
            .toByteArray();
    List<byte[]> broken =
        List.of(Arrays.copyOf(good, good.length / 2), garbledTree, asn, new byte[0]);

    long failures = 0;
    for (byte[] content : broken) {
      replaceByRename(file, content);
      assertFalse(shared.refreshNow(), "a broken database was swapped in");
      failures++;
      assertEquals(failures, shared.refreshFailures());
      assertEquals("London", shared.lookup("81.2.69.1").city());
      assertEquals(OLD_BUILD, shared.buildEpochSeconds());
      // The same broken file is not tried (nor counted) again.
      assertFalse(shared.refreshNow());
      assertEquals(failures, shared.refreshFailures());
    }
    assertEquals(broken.size(), shared.drainRefreshFailures());
    assertEquals(0, shared.drainRefreshFailures());
    assertEquals(0, shared.refreshes());

    // A good replacement after the broken ones is used.
    replaceByRename(file, good);
    assertTrue(shared.refreshNow());
    assertEquals("Paris", shared.lookup("81.2.69.1").city());
    assertEquals(NEW_BUILD, shared.buildEpochSeconds());
    assertEquals(1, shared.drainRefreshes());
    assertFalse(shared.refreshNow(), "an unchanged file is not reloaded");
    assertEquals(1, shared.refreshes());
  }

  @Test
  void maxMindsBrokenTestDatabasesNeverReplaceAGoodOne() throws Exception {
    String shared = System.getProperty("dw.sharedDir");
    Path bad =
        (shared != null && !shared.isBlank()
                ? Paths.get(shared)
                : Paths.get(System.getProperty("user.dir")).resolve("../shared"))
            .resolve("geoip/bad")
            .normalize();
    assumeTrue(Files.isDirectory(bad), bad + " (…/shared/geoip/bad) not found: skipping");
    Path file = city("London", OLD_BUILD);
    GeoLookup shared0 = GeoLookups.shared(file.toString(), null);
    List<Path> broken;
    try (Stream<Path> files = Files.list(bad)) {
      broken = files.filter(f -> f.toString().endsWith(".mmdb")).sorted().toList();
    }
    assertFalse(broken.isEmpty());
    for (Path db : broken) {
      replaceByRename(file, Files.readAllBytes(db));
      assertFalse(GeoLookups.refreshNow(shared0), db + " was swapped in");
      assertEquals("London", shared0.lookup("81.2.69.1").city(), db.toString());
    }
    assertEquals(broken.size(), shared0.refreshFailures());
  }

  @Test
  void aReplacedAsnDatabaseIsSwappedWithItsCityDatabase() throws Exception {
    Path city = city("London", OLD_BUILD);
    Path asnFile = dir.resolve("GeoLite2-ASN.mmdb");
    Files.write(asnFile, asnDb(20712));
    GeoLookups.Shared shared =
        (GeoLookups.Shared) GeoLookups.shared(city.toString(), asnFile.toString());
    assertEquals(20712L, shared.lookup("81.2.69.1").asn());

    replaceByRename(asnFile, asnDb(64500));
    assertTrue(shared.refreshNow());
    assertEquals(64500L, shared.lookup("81.2.69.1").asn());
    assertEquals("London", shared.lookup("81.2.69.1").city());

    replaceByRename(asnFile, cityDb("Paris", NEW_BUILD)); // a City database where the ASN one belongs
    assertFalse(shared.refreshNow());
    assertEquals(1, shared.refreshFailures());
    assertEquals(64500L, shared.lookup("81.2.69.1").asn());
  }

  @Test
  void aMissingFileIsAFailureAndTheOldDatabaseStays() throws Exception {
    Path file = city("London", OLD_BUILD);
    GeoLookups.Shared shared = (GeoLookups.Shared) GeoLookups.shared(file.toString(), null);
    Files.delete(file);
    assertFalse(shared.refreshNow());
    assertEquals(1, shared.refreshFailures());
    assertEquals("London", shared.lookup("81.2.69.1").city());
  }

  @Test
  void zeroHoursNeverChecks() throws Exception {
    Path file = city("London", OLD_BUILD);
    GeoLookups.Shared shared = (GeoLookups.Shared) GeoLookups.forOptions(file.toString(), "", 0);
    assertFalse(shared.scheduled());
    // A caller that asks for checks gets them on the same shared lookup.
    assertSame(shared, GeoLookups.forOptions(file.toString(), "", GeoLookups.DEFAULT_REFRESH_HOURS));
    assertTrue(shared.scheduled());
    GeoLookups.closeAll();
    assertFalse(shared.scheduled());
  }

  @Test
  void negativeHoursAreRejectedNamingTheOption() throws Exception {
    Path file = city("London", OLD_BUILD);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> GeoLookups.forOptions(file.toString(), "", -1));
    assertTrue(e.getMessage().contains("--geoipRefreshHours=-1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GeoLookups.forOptions("", "", -1));
  }

  private static byte[] asnDb(long asn) {
    return new MmdbWriter("GeoLite2-ASN", 6, 24)
        .insert("81.2.69.0/24", GeoRecords.asnRecord(asn, "AS" + asn))
        .toByteArray();
  }
}
