package dw.geo;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class MaxMindGeoLookupTest {

  @TempDir Path dir;

  private static GeoDatabaseException assertOpenFails(Executable open, String... fragments) {
    GeoDatabaseException e = assertThrows(GeoDatabaseException.class, open);
    for (String fragment : fragments) {
      assertTrue(
          e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
    }
    return e;
  }

  private Path cityDb() throws Exception {
    return MmdbWriterTest.writeCityDb(dir, 28);
  }

  private Path asnDb() throws Exception {
    Path file = dir.resolve("asn.mmdb");
    new MmdbWriter("GeoLite2-ASN", 6, 24)
        .insert("81.2.69.0/24", GeoRecords.asnRecord(20712, "Andrews & Arnold Ltd"))
        .insert("2001:db8::/32", GeoRecords.asnRecord(64496, "Documentation AS"))
        .write(file);
    return file;
  }

  @Test
  void missingFile() {
    String path = dir.resolve("nope/GeoLite2-City.mmdb").toString();
    GeoDatabaseException e =
        assertOpenFails(
            () -> MaxMindGeoLookup.open(path, null),
            path + " (--geoipCityDatabase): file does not exist");
    assertEquals(path, e.path());
    assertEquals("--geoipCityDatabase", e.option());
  }

  @Test
  void missingAsnFileNamesTheAsnOption() throws Exception {
    String city = cityDb().toString();
    String asn = dir.resolve("GeoLite2-ASN.mmdb").toString();
    assertOpenFails(
        () -> MaxMindGeoLookup.open(city, asn), asn + " (--geoipAsnDatabase): file does not exist");
  }

  @Test
  void customOptionNames() {
    String path = dir.resolve("missing.mmdb").toString();
    assertOpenFails(
        () -> MaxMindGeoLookup.open(path, "--cityDb", null, "--asnDb"), path + " (--cityDb): ");
  }

  @Test
  void relativeMissingFileShowsWhereItWasLooked() {
    assertOpenFails(
        () -> MaxMindGeoLookup.open("no-such-dir/city.mmdb", null),
        "no-such-dir/city.mmdb (--geoipCityDatabase): file does not exist (resolved to /");
  }

  @Test
  void noPathGiven() {
    assertOpenFails(
        () -> MaxMindGeoLookup.open(null, null), "--geoipCityDatabase", "no file given");
    assertOpenFails(() -> MaxMindGeoLookup.open(" ", null), "--geoipCityDatabase", "no file given");
  }

  @Test
  void directory() {
    assertOpenFails(
        () -> MaxMindGeoLookup.open(dir.toString(), null),
        dir + " (--geoipCityDatabase): is a directory");
  }

  @Test
  void emptyFile() throws Exception {
    Path file = Files.createFile(dir.resolve("empty.mmdb"));
    assertOpenFails(
        () -> MaxMindGeoLookup.open(file.toString(), null),
        file + " (--geoipCityDatabase): file is empty");
  }

  @Test
  void unreadableFile() throws Exception {
    Path file = cityDb();
    assertTrue(file.toFile().setReadable(false, false));
    try {
      if (Files.isReadable(file)) {
        return; // running as root: permissions do not apply
      }
      assertOpenFails(() -> MaxMindGeoLookup.open(file.toString(), null), "not readable");
    } finally {
      file.toFile().setReadable(true, false);
    }
  }

  @Test
  void randomBytes() throws Exception {
    Path file = dir.resolve("random.mmdb");
    byte[] bytes = new byte[4096];
    new Random(42).nextBytes(bytes);
    Files.write(file, bytes);
    assertOpenFails(
        () -> MaxMindGeoLookup.open(file.toString(), null),
        file + " (--geoipCityDatabase): not a valid MaxMind DB (.mmdb) file");
  }

  @Test
  void textFile() throws Exception {
    Path file = dir.resolve("GeoLite2-City.mmdb");
    Files.writeString(file, "<html>404 Not Found</html>\n", StandardCharsets.UTF_8);
    assertOpenFails(
        () -> MaxMindGeoLookup.open(file.toString(), null),
        file + " (--geoipCityDatabase): not a valid MaxMind DB (.mmdb) file");
  }

  @Test
  void truncatedFile() throws Exception {
    byte[] whole = MmdbWriterTest.cityWriter(28).toByteArray();
    Path file = dir.resolve("truncated.mmdb");
    Files.write(file, Arrays.copyOf(whole, whole.length / 2));
    assertOpenFails(
        () -> MaxMindGeoLookup.open(file.toString(), null),
        file + " (--geoipCityDatabase): not a valid MaxMind DB (.mmdb) file");
  }

  @Test
  void wrongDatabaseType() throws Exception {
    Path file = dir.resolve("anonymous.mmdb");
    new MmdbWriter("GeoIP2-Anonymous-IP", 6, 24)
        .insert("81.2.69.0/24", Map.of("is_anonymous", true))
        .write(file);
    assertOpenFails(
        () -> MaxMindGeoLookup.open(file.toString(), null),
        file
            + " (--geoipCityDatabase): database type is 'GeoIP2-Anonymous-IP', expected a City"
            + " database such as GeoLite2-City");
  }

  @Test
  void asnDatabaseGivenAsCity() throws Exception {
    Path asn = asnDb();
    assertOpenFails(
        () -> MaxMindGeoLookup.open(asn.toString(), null),
        asn + " (--geoipCityDatabase): database type is 'GeoLite2-ASN', expected a City database");
  }

  @Test
  void cityDatabaseGivenAsAsn() throws Exception {
    Path city = cityDb();
    assertOpenFails(
        () -> MaxMindGeoLookup.open(city.toString(), city.toString()),
        city
            + " (--geoipAsnDatabase): database type is 'GeoLite2-City', expected an ASN database"
            + " such as GeoLite2-ASN");
  }

  @Test
  void countryDatabaseIsNotACityDatabase() throws Exception {
    Path file = dir.resolve("country.mmdb");
    new MmdbWriter("GeoLite2-Country", 6, 24)
        .insert("81.2.69.0/24", GeoRecords.cityRecord("GB", null, null, null, null))
        .write(file);
    assertOpenFails(
        () -> MaxMindGeoLookup.open(file.toString(), null),
        "database type is 'GeoLite2-Country', expected a City database");
  }

  @Test
  void asnTypeUnknownToGeoIp2() throws Exception {
    Path file = dir.resolve("asn-custom.mmdb");
    new MmdbWriter("DW-ASN", 6, 24)
        .insert("81.2.69.0/24", GeoRecords.asnRecord(1, "x"))
        .write(file);
    assertOpenFails(
        () -> MaxMindGeoLookup.open(cityDb().toString(), file.toString()),
        file + " (--geoipAsnDatabase): database type is not supported by GeoIP2");
  }

  @Test
  void corruptRecordAmongTheFirstNetworksFailsAtOpen() throws Exception {
    byte[] bytes =
        new MmdbWriter("GeoLite2-City", 6, 24)
            .insert("1.0.0.0/24", GeoRecords.cityRecord("QQ", null, null, null, null))
            .toByteArray();
    Path file = dir.resolve("corrupt-first.mmdb");
    Files.write(file, corruptString(bytes, "QQ"));
    assertOpenFails(
        () -> MaxMindGeoLookup.open(file.toString(), null),
        file + " (--geoipCityDatabase): database is corrupt");
  }

  @Test
  void wrongNodeCountFailsAtOpen() throws Exception {
    byte[] bytes = MmdbWriterTest.cityWriter(24).toByteArray();
    // Lower node_count (a uint32 right after its key) by one: the tree then seems to end one
    // node early, where the 16-byte separator is not.
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = text.lastIndexOf("node_count") + "node_count".length();
    assertEquals(0xc0, bytes[at] & 0xe0, "uint32 control byte");
    int last = at + (bytes[at] & 0x1f);
    assertTrue((bytes[last] & 0xff) > 0);
    bytes[last]--;
    Path file = dir.resolve("node-count.mmdb");
    Files.write(file, bytes);
    assertOpenFails(
        () -> MaxMindGeoLookup.open(file.toString(), null),
        file + " (--geoipCityDatabase): database is corrupt");
  }

  @Test
  void corruptDataFoundLaterIsCountedNotThrown() throws Exception {
    byte[] bytes =
        new MmdbWriter("GeoLite2-City", 6, 24)
            .insert("11.0.0.0/8", GeoRecords.cityRecord("AA", null, null, null, null))
            .insert("12.0.0.0/8", GeoRecords.cityRecord("BB", null, null, null, null))
            .insert("13.0.0.0/8", GeoRecords.cityRecord("CC", null, null, null, null))
            .insert("14.0.0.0/8", GeoRecords.cityRecord("DD", null, null, null, null))
            .insert("2a02::/16", GeoRecords.cityRecord("QQ", null, null, null, null))
            .toByteArray();
    Path file = dir.resolve("corrupt-later.mmdb");
    Files.write(file, corruptString(bytes, "QQ"));
    try (MaxMindGeoLookup lookup = MaxMindGeoLookup.open(file.toString(), null)) {
      assertEquals("AA", lookup.lookup("11.1.1.1").countryIso());
      assertSame(GeoInfo.EMPTY, assertDoesNotThrow(() -> lookup.lookup("2a02::1")));
      assertSame(GeoInfo.EMPTY, lookup.lookup("2a02:ffff::1"));
      assertEquals(2, lookup.lookupErrors());
      assertEquals("DD", lookup.lookup("14.1.1.1").countryIso());
      assertEquals(2, lookup.lookupErrors());
      // a failed read is not cached: asked again, the record is read (and counted) again
      assertSame(GeoInfo.EMPTY, lookup.lookup("2a02::1"));
      assertEquals(3, lookup.lookupErrors());
    }
  }

  /** Turns the UTF-8 string {@code value} (two bytes) into a double of invalid size. */
  private static byte[] corruptString(byte[] bytes, String value) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = text.indexOf((char) 0x42 + value);
    assertTrue(at > 0, "string not found");
    byte[] copy = bytes.clone();
    copy[at] = 0x62; // type 3 (double) with size 2
    return copy;
  }

  @Test
  void lookupNeverThrowsOnBadInput() throws Exception {
    try (MaxMindGeoLookup lookup = MaxMindGeoLookup.open(cityDb().toString(), asnDb().toString())) {
      for (String ip :
          new String[] {
            null,
            "",
            "-",
            " ",
            "abc",
            "localhost",
            "example.com",
            "1.2.3",
            "256.1.1.1",
            "81.2.69.1 ",
            "fe80::1%eth0",
            "[::1]",
            "::1",
            "127.0.0.1",
            "10.1.2.3",
            "0.0.0.0",
            "255.255.255.255",
            "ff02::1"
          }) {
        assertSame(GeoInfo.EMPTY, lookup.lookup(ip), String.valueOf(ip));
      }
      assertEquals(0, lookup.lookupErrors());
    }
  }

  @Test
  void combinesCityAndAsn() throws Exception {
    try (MaxMindGeoLookup lookup = MaxMindGeoLookup.open(cityDb().toString(), asnDb().toString())) {
      assertEquals(
          new GeoInfo(
              "GB", "United Kingdom", "ENG", "England", "London", 20712L, "Andrews & Arnold Ltd"),
          lookup.lookup("81.2.69.1"));
      assertEquals(
          new GeoInfo("DE", "Germany", "BE", "Berlin", "Berlin", 64496L, "Documentation AS"),
          lookup.lookup("2001:db8:1::7"));
      assertEquals(
          new GeoInfo("DE", "Germany", null, null, null, 64496L, "Documentation AS"),
          lookup.lookup("2001:DB8:0:0:0:0:0:1"));
      assertEquals("GeoLite2-City", lookup.cityMetadata().databaseType());
      assertEquals("GeoLite2-ASN", lookup.asnMetadata().databaseType());
    }
  }

  @Test
  void lookupsAfterCloseAreEmpty() throws Exception {
    MaxMindGeoLookup lookup = MaxMindGeoLookup.open(cityDb().toString(), null);
    assertEquals("London", lookup.lookup("81.2.69.1").city());
    lookup.close();
    assertSame(GeoInfo.EMPTY, lookup.lookup("81.2.69.1"));
    lookup.close(); // idempotent
  }

  /**
   * Lookups through the address cache, with two slots (one pair: most lookups replace an entry),
   * four and the default, give what MaxMind's own GeoIP2 reader gives for each address, however often
   * and in whatever order the addresses come.
   */
  @Test
  void cachedLookupsAgreeWithMaxMindsReader() throws Exception {
    Path city = cityDb();
    Path asn = asnDb();
    Random random = new Random(7);
    String[] prefixes = {"81.2.69.", "89.160.20.", "216.160.83.", "1.1.1.", "2001:db8:1::", "2001:db8:7::", "2a02:d280::", "2a03::"};
    java.util.List<String> addresses = new java.util.ArrayList<>();
    for (String prefix : prefixes) {
      for (int i = 0; i < 12; i++) {
        int last = i < 2 ? (i == 0 ? 1 : 255) : 1 + random.nextInt(254);
        addresses.add(prefix + (prefix.contains(":") ? Integer.toHexString(last) : Integer.toString(last)));
      }
    }
    try (com.maxmind.geoip2.DatabaseReader cityReader = new com.maxmind.geoip2.DatabaseReader.Builder(city.toFile()).build();
        com.maxmind.geoip2.DatabaseReader asnReader = new com.maxmind.geoip2.DatabaseReader.Builder(asn.toFile()).build()) {
      for (int slots : new int[] {2, 4, 0}) {
        MaxMindGeoLookup lookup = MaxMindGeoLookup.open(city.toString(), asn.toString());
        if (slots > 0) {
          lookup.withCacheSlots(slots);
        }
        try (lookup) {
          int known = 0;
          for (int n = 0; n < 2_000; n++) {
            String ip = addresses.get(random.nextInt(addresses.size()));
            java.net.InetAddress address = java.net.InetAddress.getByAddress(IpAddresses.parse(ip));
            var c = cityReader.tryCity(address);
            var a = asnReader.tryAsn(address);
            GeoInfo got = lookup.lookup(ip);
            String where = ip + " with " + slots + " slot(s)";
            assertEquals(c.map(r -> r.getCountry().getIsoCode()).orElse(null), got.countryIso(), where);
            assertEquals(c.map(r -> r.getCountry().getName()).orElse(null), got.countryName(), where);
            assertEquals(c.map(r -> r.getMostSpecificSubdivision().getIsoCode()).orElse(null), got.subdivisionIso(), where);
            assertEquals(c.map(r -> r.getMostSpecificSubdivision().getName()).orElse(null), got.subdivisionName(), where);
            assertEquals(c.map(r -> r.getCity().getName()).orElse(null), got.city(), where);
            assertEquals(a.map(r -> r.getAutonomousSystemNumber()).orElse(null), got.asn(), where);
            assertEquals(a.map(r -> r.getAutonomousSystemOrganization()).orElse(null), got.asnOrganization(), where);
            known += c.isPresent() ? 1 : 0;
          }
          assertTrue(known > 500 && known < 1_800, "both known and unknown addresses: " + known);
          assertEquals(0, lookup.lookupErrors());
        }
      }
    }
  }
}
