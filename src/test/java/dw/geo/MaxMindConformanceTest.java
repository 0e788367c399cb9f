package dw.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link MaxMindGeoLookup} against MaxMind's own test databases and the JSON source data
 * they were built from (see {@code ../shared/geoip/README.md}). Skipped when that folder is absent;
 * the folder can be given with {@code -Ddw.sharedDir=/path/to/shared}.
 */
class MaxMindConformanceTest {

  private static Path geoip;

  @BeforeAll
  static void findTestData() {
    String shared = System.getProperty("dw.sharedDir");
    Path base =
        shared != null && !shared.isBlank()
            ? Paths.get(shared)
            : Paths.get(System.getProperty("user.dir")).resolve("../shared");
    geoip = base.resolve("geoip").normalize();
  }

  private static Path geoip() {
    assumeTrue(
        Files.isDirectory(geoip),
        geoip + " (…/shared/geoip) not found: skipping MaxMind conformance");
    return geoip;
  }

  /** One network of a source JSON file, as 16 bytes (IPv4 at ::a.b.c.d) and a prefix length. */
  private record Network(String text, byte[] address, int prefix, JsonNode record) {

    static Network parse(String cidr, JsonNode record) {
      int slash = cidr.indexOf('/');
      byte[] address = IpAddresses.parse(cidr.substring(0, slash));
      int prefix = Integer.parseInt(cidr.substring(slash + 1));
      if (address.length == 4) {
        byte[] wide = new byte[16];
        System.arraycopy(address, 0, wide, 12, 4);
        address = wide;
        prefix += 96;
      }
      return new Network(cidr, address, prefix, record);
    }

    boolean contains(byte[] other) {
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >>> (bit & 7);
        if ((address[bit >>> 3] & mask) != (other[bit >>> 3] & mask)) {
          return false;
        }
      }
      return true;
    }

    /** The first address as text: dotted quad for networks in the IPv4 part of the tree. */
    String firstAddress() throws IOException {
      boolean ipv4 = prefix >= 96;
      for (int i = 0; i < 12 && ipv4; i++) {
        ipv4 = address[i] == 0;
      }
      byte[] bytes = ipv4 ? Arrays.copyOfRange(address, 12, 16) : address;
      return InetAddress.getByAddress(bytes).getHostAddress();
    }
  }

  private static List<Network> networks(Path json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    List<Network> networks = new ArrayList<>();
    for (JsonNode entry : root) {
      for (Map.Entry<String, JsonNode> field : entry.properties()) {
        networks.add(Network.parse(field.getKey(), field.getValue()));
      }
    }
    return networks;
  }

  /** The most specific network that contains {@code address}. */
  private static Network mostSpecific(List<Network> networks, byte[] address) {
    Network best = null;
    for (Network network : networks) {
      if (network.contains(address) && (best == null || network.prefix > best.prefix)) {
        best = network;
      }
    }
    return best;
  }

  private static String text(JsonNode node, String... path) {
    JsonNode current = node;
    for (String step : path) {
      current = current.path(step);
    }
    return current.isTextual() ? current.asText() : null;
  }

  @Test
  void geoIp2CityTest() throws Exception {
    checkCity("GeoIP2-City-Test");
  }

  @Test
  void geoLite2CityTest() throws Exception {
    checkCity("GeoLite2-City-Test");
  }

  private void checkCity(String name) throws Exception {
    Path dir = geoip();
    List<Network> networks = networks(dir.resolve(name + ".json"));
    int checked = 0;
    int withCity = 0;
    try (MaxMindGeoLookup lookup =
        MaxMindGeoLookup.open(dir.resolve(name + ".mmdb").toString(), null)) {
      for (Network network : networks) {
        if (text(network.record(), "country", "iso_code") == null) {
          continue;
        }
        String ip = network.firstAddress();
        Network expected = mostSpecific(networks, network.address());
        GeoInfo actual = lookup.lookup(ip);
        if (IpAddresses.isNonPublic(IpAddresses.parse(ip))) {
          assertSame(GeoInfo.EMPTY, actual, ip);
          continue;
        }
        JsonNode record = expected.record();
        String where = name + " " + expected.text() + " at " + ip;
        assertEquals(text(record, "country", "iso_code"), actual.countryIso(), where);
        assertEquals(text(record, "country", "names", "en"), actual.countryName(), where);
        assertEquals(text(record, "city", "names", "en"), actual.city(), where);
        JsonNode subdivisions = record.path("subdivisions");
        JsonNode last = subdivisions.size() == 0 ? null : subdivisions.get(subdivisions.size() - 1);
        assertEquals(last == null ? null : text(last, "iso_code"), actual.subdivisionIso(), where);
        assertEquals(
            last == null ? null : text(last, "names", "en"), actual.subdivisionName(), where);
        checked++;
        if (actual.city() != null) {
          withCity++;
        }
      }
      assertEquals(0, lookup.lookupErrors());
    }
    assertTrue(checked >= 100, name + ": only " + checked + " networks checked");
    assertTrue(withCity >= 3, name + ": only " + withCity + " networks with a city");
  }

  @Test
  void knownCityAddresses() {
    Path dir = geoip();
    try (MaxMindGeoLookup lookup =
        MaxMindGeoLookup.open(
            dir.resolve("GeoIP2-City-Test.mmdb").toString(),
            dir.resolve("GeoLite2-ASN-Test.mmdb").toString())) {
      GeoInfo london = lookup.lookup("81.2.69.160");
      assertEquals("GB", london.countryIso());
      assertEquals("United Kingdom", london.countryName());
      assertEquals("ENG", london.subdivisionIso());
      assertEquals("England", london.subdivisionName());
      assertEquals("London", london.city());
      assertEquals("Milton", lookup.lookup("216.160.83.56").city());
      assertEquals("WA", lookup.lookup("216.160.83.56").subdivisionIso());
      assertEquals("Linköping", lookup.lookup("89.160.20.112").city());
      assertEquals("JP", lookup.lookup("2001:218::1").countryIso());
      assertEquals("GB", lookup.lookup("::ffff:81.2.69.160").countryIso());
      GeoInfo telstra = lookup.lookup("1.128.0.1");
      assertEquals(1221L, telstra.asn());
      assertEquals("Telstra Pty Ltd", telstra.asnOrganization());
      assertSame(GeoInfo.EMPTY, lookup.lookup("127.0.0.1"));
      assertSame(GeoInfo.EMPTY, lookup.lookup("-"));
    }
  }

  @Test
  void geoLite2AsnTest() throws Exception {
    Path dir = geoip();
    List<Network> networks = networks(dir.resolve("GeoLite2-ASN-Test.json"));
    int checked = 0;
    try (MaxMindGeoLookup lookup =
        MaxMindGeoLookup.open(
            dir.resolve("GeoIP2-City-Test.mmdb").toString(),
            dir.resolve("GeoLite2-ASN-Test.mmdb").toString())) {
      for (Network network : networks) {
        String ip = network.firstAddress();
        if (IpAddresses.isNonPublic(IpAddresses.parse(ip))) {
          continue;
        }
        JsonNode record = mostSpecific(networks, network.address()).record();
        JsonNode number = record.path("autonomous_system_number");
        GeoInfo actual = lookup.lookup(ip);
        String where = "GeoLite2-ASN-Test " + network.text() + " at " + ip;
        assertEquals(number.isNumber() ? number.asLong() : null, actual.asn(), where);
        assertEquals(
            text(record, "autonomous_system_organization"), actual.asnOrganization(), where);
        checked++;
      }
      assertEquals(0, lookup.lookupErrors());
    }
    assertTrue(checked >= 100, "only " + checked + " ASN networks checked");
  }

  @Test
  void otherDatabaseTypesAreRejected() {
    Path dir = geoip();
    for (String name :
        new String[] {"GeoIP2-Anonymous-IP-Test", "GeoLite2-Country-Test", "GeoLite2-ASN-Test"}) {
      Path file = dir.resolve(name + ".mmdb");
      try {
        MaxMindGeoLookup.open(file.toString(), null).close();
        fail(name + " opened as a City database");
      } catch (GeoDatabaseException e) {
        assertTrue(
            e.getMessage().startsWith(file + " (--geoipCityDatabase): database type is '"),
            e.getMessage());
      }
    }
  }

  /**
   * Broken databases either fail at open with a message naming the file, or open and then return
   * empty results while counting errors. Nothing else may escape.
   */
  @Test
  void brokenDatabasesNeverThrowAnythingElse() throws Exception {
    Path bad = geoip().resolve("bad");
    List<Path> files;
    try (Stream<Path> list = Files.list(bad)) {
      files = list.filter(p -> p.toString().endsWith(".mmdb")).sorted().toList();
    }
    assertTrue(files.size() >= 3, "expected the broken test databases in " + bad);
    List<String> lookups = new ArrayList<>();
    for (Network network : networks(geoip.resolve("GeoIP2-City-Test.json"))) {
      lookups.add(network.firstAddress());
    }
    for (Path file : files) {
      MaxMindGeoLookup lookup;
      try {
        lookup = MaxMindGeoLookup.open(file.toString(), null);
      } catch (GeoDatabaseException e) {
        assertTrue(e.getMessage().startsWith(file + " (--geoipCityDatabase): "), e.getMessage());
        continue;
      }
      try (lookup) {
        for (String ip : lookups) {
          assertNotNull(lookup.lookup(ip));
        }
      }
    }
  }

  @Test
  void brokenDatabasesFailAtOpenWithAPlainReason() {
    Path bad = geoip().resolve("bad");
    assertOpenFails(bad.resolve("GeoIP2-City-Test-Invalid-Node-Count.mmdb"), "database is corrupt");
    assertOpenFails(
        bad.resolve("GeoIP2-City-Test-Broken-Double-Format.mmdb"), "database is corrupt");
    assertOpenFails(
        bad.resolve("libmaxminddb-corrupt-search-tree.mmdb"), "database type is 'Test'");
  }

  private static void assertOpenFails(Path file, String reason) {
    try {
      MaxMindGeoLookup.open(file.toString(), null).close();
      fail(file + " opened");
    } catch (GeoDatabaseException e) {
      assertTrue(
          e.getMessage().startsWith(file + " (--geoipCityDatabase): " + reason), e.getMessage());
    }
  }
}
