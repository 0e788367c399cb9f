package dw.transforms.common;

import static dw.geo.CityTestDatabases.cityDb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.geo.GeoDatabaseException;
import dw.geo.GeoLookup;
import dw.geo.GeoLookups;
import dw.testing.S3ProxyServer;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.beam.sdk.io.FileSystems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GeoIP databases as S3 objects (S3Proxy): opened, refreshed when replaced, broken ones kept out. */
class GeoDatabasesS3Test {
  private static final String BUCKET = "geoip";
  private static final String CITY = "s3://" + BUCKET + "/GeoLite2-City.mmdb";

  @TempDir static Path dir;
  static S3ProxyServer s3;

  @BeforeAll
  static void setUp() throws Exception {
    s3 = S3ProxyServer.start(dir.resolve("s3proxy"));
    s3.createBucket(BUCKET);
    FileSystems.setDefaultPipelineOptions(s3.pipelineOptions());
  }

  @AfterAll
  static void tearDown() {
    if (s3 != null) {
      s3.close();
    }
  }

  @AfterEach
  void closeShared() {
    GeoLookups.closeAll();
  }

  @Test
  void aReplacedObjectIsSwappedInAndABrokenOneIsKeptOut() {
    s3.put(BUCKET, "GeoLite2-City.mmdb", cityDb("London", 1_700_000_000L));
    GeoLookup geo = GeoDatabases.forOptions(CITY, "", 0);
    assertEquals("London", geo.lookup("81.2.69.1").city());
    assertEquals(1_700_000_000L, geo.buildEpochSeconds());
    assertFalse(GeoLookups.refreshNow(geo), "an unchanged object is not reloaded");

    s3.put(BUCKET, "GeoLite2-City.mmdb", cityDb("Paris", 1_700_300_000L));
    assertTrue(GeoLookups.refreshNow(geo));
    assertEquals("Paris", geo.lookup("81.2.69.1").city());
    assertEquals(1_700_300_000L, geo.buildEpochSeconds());
    assertEquals(1, geo.refreshes());

    byte[] good = cityDb("Berlin", 1_700_600_000L);
    s3.put(BUCKET, "GeoLite2-City.mmdb", Arrays.copyOf(good, good.length - 40));
    assertFalse(GeoLookups.refreshNow(geo));
    assertEquals(1, geo.refreshFailures());
    assertEquals("Paris", geo.lookup("81.2.69.1").city());
    assertEquals(1_700_300_000L, geo.buildEpochSeconds());
  }

  @Test
  void aMissingObjectFailsAtStartNamingItAndTheOption() {
    String missing = "s3://" + BUCKET + "/no-such.mmdb";
    GeoDatabaseException e =
        assertThrows(GeoDatabaseException.class, () -> GeoDatabases.forOptions(missing, "", 0));
    assertTrue(
        e.getMessage().contains(missing) && e.getMessage().contains("--geoipCityDatabase"),
        e.getMessage());
  }
}
