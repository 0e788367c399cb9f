package dw.geo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Small City databases for tests of database replacement: same networks, other answers. */
public final class CityTestDatabases {
  /** Build times of a database and of its replacement. */
  public static final long OLD_BUILD = 1_700_000_000L;

  public static final long NEW_BUILD = 1_700_300_000L;

  private CityTestDatabases() {}

  /** A City database answering {@code city} for 81.2.69.0/24 and 2a02:8000::/32, built {@code build}. */
  public static byte[] cityDb(String city, long build) {
    return new MmdbWriter("GeoLite2-City", 6, 28)
        .languages("en")
        .buildEpoch(build)
        .insert("81.2.69.0/24", GeoRecords.cityRecord("GB", "United Kingdom", null, null, city))
        .insert("2a02:8000::/32", GeoRecords.cityRecord("GB", "United Kingdom", null, null, city))
        .toByteArray();
  }

  /**
   * Replaces {@code target} the way geoipupdate and {@code mv} do: writes the content beside it,
   * then renames it over the target.
   */
  public static void replaceByRename(Path target, byte[] content) throws IOException {
    Path aside = Files.createTempFile(target.getParent(), "new-", ".mmdb");
    Files.write(aside, content);
    Files.move(aside, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
