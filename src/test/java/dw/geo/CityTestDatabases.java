package dw.geo;

/** Small City databases for tests of database replacement: same networks, other answers. */
public final class CityTestDatabases {
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
}
