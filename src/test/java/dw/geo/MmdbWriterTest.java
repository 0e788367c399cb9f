package dw.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Metadata;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.model.AsnResponse;
import com.maxmind.geoip2.model.CityResponse;
import java.io.File;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MmdbWriterTest {

  @TempDir Path dir;

  /** A small City database with nested IPv4 and IPv6 networks. */
  static MmdbWriter cityWriter(int recordSize) {
    return new MmdbWriter("GeoLite2-City", 6, recordSize)
        .description("en", "dw test City database")
        .languages("en")
        .buildEpoch(1_700_000_000L)
        .insert(
            "81.2.69.0/24",
            GeoRecords.cityRecord("GB", "United Kingdom", "ENG", "England", "London"))
        .insert(
            "81.2.69.128/26",
            GeoRecords.cityRecord("GB", "United Kingdom", "SCT", "Scotland", "Glasgow"))
        .insert("81.2.69.160/32", GeoRecords.cityRecord("GB", "United Kingdom", null, null, null))
        .insert(
            "89.160.20.112/28",
            GeoRecords.cityRecord("EU", "SE", "Sweden", "E", "Östergötland County", "Linköping"))
        .insert(
            "216.160.83.56",
            GeoRecords.cityRecord("US", "United States", "WA", "Washington", "Milton"))
        .insert("2001:db8::/32", GeoRecords.cityRecord("DE", "Germany", null, null, null))
        .insert("2001:db8:1::/48", GeoRecords.cityRecord("DE", "Germany", "BE", "Berlin", "Berlin"))
        .insert("2a02:d280::/29", GeoRecords.cityRecord("CZ", "Czechia", null, null, null));
  }

  static Path writeCityDb(Path dir, int recordSize) throws Exception {
    Path file = dir.resolve("city-" + recordSize + ".mmdb");
    cityWriter(recordSize).write(file);
    return file;
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByAddress(IpAddresses.parse(literal));
  }

  @ParameterizedTest
  @ValueSource(ints = {24, 28, 32})
  void cityDatabaseRoundTripsThroughDatabaseReader(int recordSize) throws Exception {
    File file = writeCityDb(dir, recordSize).toFile();
    try (DatabaseReader reader = new DatabaseReader.Builder(file).build()) {
      assertEquals("GeoLite2-City", reader.metadata().databaseType());
      assertEquals(recordSize, reader.metadata().recordSize());

      CityResponse london = reader.tryCity(ip("81.2.69.1")).orElseThrow();
      assertEquals("GB", london.country().isoCode());
      assertEquals("United Kingdom", london.country().name());
      assertEquals("ENG", london.mostSpecificSubdivision().isoCode());
      assertEquals("England", london.mostSpecificSubdivision().name());
      assertEquals("London", london.city().name());

      // Nested networks: the more specific insert wins inside it, the broader one around it.
      assertEquals("Glasgow", reader.tryCity(ip("81.2.69.130")).orElseThrow().city().name());
      assertEquals("Glasgow", reader.tryCity(ip("81.2.69.191")).orElseThrow().city().name());
      assertEquals("London", reader.tryCity(ip("81.2.69.192")).orElseThrow().city().name());
      assertEquals("London", reader.tryCity(ip("81.2.69.127")).orElseThrow().city().name());
      CityResponse host = reader.tryCity(ip("81.2.69.160")).orElseThrow();
      assertEquals("GB", host.country().isoCode());
      assertNull(host.city().name());
      assertEquals("Glasgow", reader.tryCity(ip("81.2.69.161")).orElseThrow().city().name());

      CityResponse linkoping = reader.tryCity(ip("89.160.20.127")).orElseThrow();
      assertEquals("Linköping", linkoping.city().name());
      assertEquals("Östergötland County", linkoping.mostSpecificSubdivision().name());
      assertEquals("EU", linkoping.continent().code());
      assertEquals("Milton", reader.tryCity(ip("216.160.83.56")).orElseThrow().city().name());
      assertEquals(Optional.empty(), reader.tryCity(ip("216.160.83.57")));

      // IPv4-mapped IPv6 addresses become IPv4 addresses in Java before the lookup.
      assertEquals("London", reader.tryCity(ip("::ffff:81.2.69.1")).orElseThrow().city().name());

      CityResponse germany = reader.tryCity(ip("2001:db8:2::1")).orElseThrow();
      assertEquals("DE", germany.country().isoCode());
      assertNull(germany.city().name());
      assertNull(germany.mostSpecificSubdivision().isoCode());
      CityResponse berlin = reader.tryCity(ip("2001:db8:1:ffff::1")).orElseThrow();
      assertEquals("BE", berlin.mostSpecificSubdivision().isoCode());
      assertEquals("Berlin", berlin.city().name());
      assertEquals("CZ", reader.tryCity(ip("2a02:d287:ffff::1")).orElseThrow().country().isoCode());
      assertEquals(Optional.empty(), reader.tryCity(ip("2a02:d288::1")));

      // Outside every network.
      assertEquals(Optional.empty(), reader.tryCity(ip("1.1.1.1")));
      assertEquals(Optional.empty(), reader.tryCity(ip("81.2.70.0")));
      assertEquals(Optional.empty(), reader.tryCity(ip("2001:db9::1")));
      assertEquals(Optional.empty(), reader.tryCity(ip("::")));
    }
  }

  @Test
  void cityDatabaseRoundTripsThroughLowLevelReader() throws Exception {
    File file = writeCityDb(dir, 28).toFile();
    try (Reader reader = new Reader(file)) {
      Metadata metadata = reader.getMetadata();
      assertEquals("GeoLite2-City", metadata.databaseType());
      assertEquals(2, metadata.binaryFormatMajorVersion());
      assertEquals(0, metadata.binaryFormatMinorVersion());
      assertEquals(BigInteger.valueOf(1_700_000_000L), metadata.buildEpoch());
      assertEquals(6, metadata.ipVersion());
      assertEquals(28, metadata.recordSize());
      assertEquals(List.of("en"), metadata.languages());
      assertEquals(Map.of("en", "dw test City database"), metadata.description());
      long treeBytes = metadata.nodeCount() * 28 / 4;
      assertTrue(treeBytes < Files.size(file.toPath()));

      @SuppressWarnings("unchecked")
      Map<String, Object> record = reader.get(ip("81.2.69.130"), Map.class);
      assertEquals(
          Map.of(
              "country", Map.of("iso_code", "GB", "names", Map.of("en", "United Kingdom")),
              "subdivisions", List.of(Map.of("iso_code", "SCT", "names", Map.of("en", "Scotland"))),
              "city", Map.of("names", Map.of("en", "Glasgow"))),
          record);
      assertNull(reader.get(ip("1.1.1.1"), Map.class));

      DatabaseRecord<Map> withNetwork = reader.getRecord(ip("2001:db8:1:2::3"), Map.class);
      assertEquals(48, withNetwork.network().prefixLength());
      DatabaseRecord<Map> single = reader.getRecord(ip("216.160.83.56"), Map.class);
      assertEquals(32, single.network().prefixLength());
    }
  }

  @Test
  void networksIterateExactlyAsInserted() throws Exception {
    List<String> inserted = new ArrayList<>();
    MmdbWriter writer = new MmdbWriter("GeoLite2-Country", 6, 24);
    for (int i = 0; i < 200; i++) {
      String network = (1 + i) + "." + (i * 7 % 256) + "." + (i % 3 * 64) + ".0/" + (18 + i % 7);
      network = canonical(network);
      inserted.add(network);
      writer.insert(network, Map.of("n", i));
    }
    for (int i = 0; i < 50; i++) {
      String network = "2001:db8:" + Integer.toHexString(i * 131) + "::/48";
      inserted.add(network);
      writer.insert(network, Map.of("n", 1000 + i));
    }
    Path file = dir.resolve("many.mmdb");
    writer.write(file);

    Set<String> found = new TreeSet<>();
    try (Reader reader = new Reader(file.toFile())) {
      Networks<Map> networks = reader.networks(false, Map.class);
      while (networks.hasNext()) {
        DatabaseRecord<Map> record = networks.next();
        String text = record.network().networkAddress().getHostAddress();
        found.add(text + "/" + record.network().prefixLength());
      }
      for (int i = 0; i < 200; i++) {
        String network = inserted.get(i);
        String first = network.substring(0, network.indexOf('/'));
        assertEquals(Map.of("n", (long) i), reader.get(ip(first), Map.class), network);
      }
    }
    Set<String> expected = new TreeSet<>();
    for (String network : inserted) {
      byte[] address = IpAddresses.parse(network.substring(0, network.indexOf('/')));
      expected.add(
          InetAddress.getByAddress(address).getHostAddress()
              + network.substring(network.indexOf('/')));
    }
    assertEquals(expected, found);
  }

  /** Clears host bits of an IPv4 CIDR. */
  private static String canonical(String cidr) {
    int slash = cidr.indexOf('/');
    int prefix = Integer.parseInt(cidr.substring(slash + 1));
    byte[] a = IpAddresses.parse(cidr.substring(0, slash));
    long value =
        ((a[0] & 0xffL) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
    value &= (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    return (value >>> 24)
        + "."
        + ((value >>> 16) & 0xff)
        + "."
        + ((value >>> 8) & 0xff)
        + "."
        + (value & 0xff)
        + "/"
        + prefix;
  }

  @Test
  void laterBroaderInsertReplacesEarlierNestedOnes() throws Exception {
    Path file = dir.resolve("order.mmdb");
    new MmdbWriter("GeoLite2-City", 6, 28)
        .insert("10.1.2.0/24", GeoRecords.cityRecord("AA", null, null, null, null))
        .insert("10.1.0.0/16", GeoRecords.cityRecord("BB", null, null, null, null))
        .insert("10.1.3.0/24", GeoRecords.cityRecord("CC", null, null, null, null))
        .write(file);
    try (DatabaseReader reader = new DatabaseReader.Builder(file.toFile()).build()) {
      assertEquals("BB", reader.tryCity(ip("10.1.2.1")).orElseThrow().country().isoCode());
      assertEquals("CC", reader.tryCity(ip("10.1.3.1")).orElseThrow().country().isoCode());
      assertEquals("BB", reader.tryCity(ip("10.1.255.255")).orElseThrow().country().isoCode());
    }
  }

  @Test
  void whereNothingIsKnownTheLookupIsEmpty() throws Exception {
    Path file = writeCityDb(dir, 24);
    try (MaxMindGeoLookup lookup = MaxMindGeoLookup.open(file.toString(), null)) {
      GeoInfo london = lookup.lookup("81.2.69.1");
      assertEquals(
          new GeoInfo("GB", "United Kingdom", "ENG", "England", "London", null, null), london);
      assertSame(GeoInfo.EMPTY, lookup.lookup("1.1.1.1"));
      assertSame(GeoInfo.EMPTY, lookup.lookup("2001:db9::1"));
      assertSame(GeoInfo.EMPTY, lookup.lookup("127.0.0.1"));
      assertSame(GeoInfo.EMPTY, lookup.lookup("::1"));
      assertSame(GeoInfo.EMPTY, lookup.lookup("10.0.0.1"));
      assertSame(GeoInfo.EMPTY, lookup.lookup("192.168.1.1"));
      assertSame(GeoInfo.EMPTY, lookup.lookup("fd00::1"));
      assertSame(GeoInfo.EMPTY, lookup.lookup("fe80::1"));
      assertEquals(0, lookup.lookupErrors());
    }
  }

  @Test
  void privateRangesStayEmptyEvenIfTheDatabaseHasThem() throws Exception {
    Path file = dir.resolve("private.mmdb");
    new MmdbWriter("GeoLite2-City", 6, 24)
        .insert("10.0.0.0/8", GeoRecords.cityRecord("XX", null, null, null, null))
        .insert("127.0.0.0/8", GeoRecords.cityRecord("XX", null, null, null, null))
        .insert("::1/128", GeoRecords.cityRecord("XX", null, null, null, null))
        .insert("11.0.0.0/8", GeoRecords.cityRecord("YY", null, null, null, null))
        .write(file);
    try (MaxMindGeoLookup lookup = MaxMindGeoLookup.open(file.toString(), null)) {
      assertSame(GeoInfo.EMPTY, lookup.lookup("10.1.2.3"));
      assertSame(GeoInfo.EMPTY, lookup.lookup("127.0.0.1"));
      assertSame(GeoInfo.EMPTY, lookup.lookup("::1"));
      assertEquals("YY", lookup.lookup("11.1.2.3").countryIso());
    }
  }

  @Test
  void asnDatabaseRoundTrips() throws Exception {
    Path file = dir.resolve("asn.mmdb");
    new MmdbWriter("GeoLite2-ASN", 6, 24)
        .description("en", "dw test ASN database")
        .insert("1.128.0.0/11", GeoRecords.asnRecord(1221, "Telstra Pty Ltd"))
        .insert("2600:6000::/20", GeoRecords.asnRecord(237, "Merit Network Inc."))
        .insert("12.81.92.0/22", GeoRecords.asnRecord(4_200_000_000L, null))
        .write(file);
    try (DatabaseReader reader = new DatabaseReader.Builder(file.toFile()).build()) {
      assertEquals("GeoLite2-ASN", reader.metadata().databaseType());
      AsnResponse telstra = reader.tryAsn(ip("1.128.0.1")).orElseThrow();
      assertEquals(1221L, telstra.autonomousSystemNumber());
      assertEquals("Telstra Pty Ltd", telstra.autonomousSystemOrganization());
      AsnResponse merit = reader.tryAsn(ip("2600:6000::1")).orElseThrow();
      assertEquals(237L, merit.autonomousSystemNumber());
      AsnResponse big = reader.tryAsn(ip("12.81.95.255")).orElseThrow();
      assertEquals(4_200_000_000L, big.autonomousSystemNumber());
      assertNull(big.autonomousSystemOrganization());
      assertEquals(Optional.empty(), reader.tryAsn(ip("1.1.1.1")));
    }

    Path city = writeCityDb(dir, 28);
    try (MaxMindGeoLookup lookup = MaxMindGeoLookup.open(city.toString(), file.toString())) {
      assertTrue(lookup.hasAsnDatabase());
      assertEquals(
          new GeoInfo(null, null, null, null, null, 1221L, "Telstra Pty Ltd"),
          lookup.lookup("1.128.0.1"));
      GeoInfo both = lookup.lookup("81.2.69.1");
      assertEquals("London", both.city());
      assertNull(both.asn());
    }
  }

  @Test
  void ipv4OnlyDatabase() throws Exception {
    Path file = dir.resolve("v4.mmdb");
    new MmdbWriter("GeoLite2-City", 4, 24)
        .insert("81.2.69.0/24", GeoRecords.cityRecord("GB", "United Kingdom", null, null, "London"))
        .insert("0.0.0.0/1", GeoRecords.cityRecord("AA", null, null, null, null))
        .insert("128.0.0.0/1", GeoRecords.cityRecord("BB", null, null, null, null))
        .insert("81.2.70.0/24", GeoRecords.cityRecord("CC", null, null, null, null))
        .write(file);
    try (Reader reader = new Reader(file.toFile())) {
      assertEquals(4, reader.getMetadata().ipVersion());
    }
    try (MaxMindGeoLookup lookup = MaxMindGeoLookup.open(file.toString(), null)) {
      assertEquals("AA", lookup.lookup("81.2.69.1").countryIso()); // replaced by 0.0.0.0/1
      assertEquals("CC", lookup.lookup("81.2.70.1").countryIso());
      assertEquals("BB", lookup.lookup("200.1.1.1").countryIso());
      assertSame(GeoInfo.EMPTY, lookup.lookup("2001:db8::1"));
      assertEquals("AA", lookup.lookup("::ffff:81.2.69.1").countryIso());
      assertEquals(0, lookup.lookupErrors());
    }
  }

  @Test
  void encodesEveryValueType() throws Exception {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("string", "héllo");
    record.put("empty", "");
    record.put("long string 40", "x".repeat(40));
    record.put("long string 300", "y".repeat(300));
    record.put("long string 70000", "z".repeat(70_000));
    record.put("zero", 0);
    record.put("small", 7);
    record.put("uint32 max", 0xffff_ffffL);
    record.put("uint64", 0x1_0000_0000L);
    record.put("uint64 max signed", Long.MAX_VALUE);
    record.put("uint64 big", new BigInteger("18446744073709551615"));
    record.put("uint128", new BigInteger("340282366920938463463374607431768211455"));
    record.put("negative", -1);
    record.put("int32 min", Integer.MIN_VALUE);
    record.put("uint16", MmdbWriter.uint16(65535));
    record.put("int32 positive", MmdbWriter.int32(300));
    record.put("double", 42.125);
    record.put("float", 1.5f);
    record.put("true", true);
    record.put("false", false);
    record.put("bytes", new byte[] {1, 2, 3});
    record.put("array", List.of(1, "two", List.of(), Map.of()));
    List<Object> bigArray = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      bigArray.add(i);
    }
    record.put("array 40", bigArray);
    record.put("nested", Map.of("a", Map.of("b", Map.of("c", "deep"))));
    Path file = dir.resolve("types.mmdb");
    new MmdbWriter("dw-Types-Test", 6, 32).insert("2001:db8::/32", record).write(file);

    try (Reader reader = new Reader(file.toFile())) {
      @SuppressWarnings("unchecked")
      Map<String, Object> read = reader.get(ip("2001:db8::1"), Map.class);
      assertEquals("héllo", read.get("string"));
      assertEquals("", read.get("empty"));
      assertEquals("x".repeat(40), read.get("long string 40"));
      assertEquals("y".repeat(300), read.get("long string 300"));
      assertEquals("z".repeat(70_000), read.get("long string 70000"));
      assertEquals(0L, read.get("zero"));
      assertEquals(7L, read.get("small"));
      assertEquals(0xffff_ffffL, read.get("uint32 max"));
      assertEquals(BigInteger.valueOf(0x1_0000_0000L), read.get("uint64"));
      assertEquals(BigInteger.valueOf(Long.MAX_VALUE), read.get("uint64 max signed"));
      assertEquals(new BigInteger("18446744073709551615"), read.get("uint64 big"));
      assertEquals(new BigInteger("340282366920938463463374607431768211455"), read.get("uint128"));
      assertEquals(-1, read.get("negative"));
      assertEquals(Integer.MIN_VALUE, read.get("int32 min"));
      assertEquals(65535, read.get("uint16"));
      assertEquals(300, read.get("int32 positive"));
      assertEquals(42.125, read.get("double"));
      assertEquals(1.5f, read.get("float"));
      assertEquals(true, read.get("true"));
      assertEquals(false, read.get("false"));
      assertEquals(List.of(1, 2, 3), toList((byte[]) read.get("bytes")));
      assertEquals(List.of(1L, "two", List.of(), Map.of()), read.get("array"));
      assertEquals(40, ((List<?>) read.get("array 40")).size());
      assertEquals(39L, ((List<?>) read.get("array 40")).get(39));
      assertEquals(Map.of("a", Map.of("b", Map.of("c", "deep"))), read.get("nested"));
      assertEquals(record.size(), read.size());
    }
  }

  private static List<Integer> toList(byte[] bytes) {
    List<Integer> list = new ArrayList<>();
    for (byte b : bytes) {
      list.add((int) b);
    }
    return list;
  }

  @Test
  void identicalRecordsAreStoredOnce() {
    MmdbWriter writer = new MmdbWriter("GeoLite2-City", 6, 24);
    for (int i = 0; i < 50; i++) {
      writer.insert(
          "81.2." + i + ".0/24",
          GeoRecords.cityRecord("GB", "United Kingdom", "ENG", "England", "Unique-City-Name"));
    }
    writer.insert(
        "81.3.0.0/24",
        GeoRecords.cityRecord("GB", "United Kingdom", "ENG", "England", "Other-City"));
    String bytes = new String(writer.toByteArray(), StandardCharsets.ISO_8859_1);
    assertEquals(1, count(bytes, "Unique-City-Name"));
    assertEquals(1, count(bytes, "Other-City"));
    // strings, maps and arrays inside records are shared through pointers, as in MaxMind's files
    assertEquals(1, count(bytes, "United Kingdom"));
    assertEquals(1, count(bytes, "iso_code"));
  }

  @Test
  void sharedPartsAreReadThroughTheReadersCache() throws Exception {
    MmdbWriter writer = new MmdbWriter("GeoLite2-City", 6, 24);
    for (int i = 0; i < 20; i++) {
      writer.insert("81.2." + i + ".0/24", GeoRecords.cityRecord("GB", "United Kingdom", null, null, "City" + i));
    }
    java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger gets = new java.util.concurrent.atomic.AtomicInteger();
    java.util.Map<Object, com.maxmind.db.DecodedValue> cached = new java.util.HashMap<>();
    com.maxmind.db.NodeCache counting =
        (key, loader) -> {
          gets.incrementAndGet();
          com.maxmind.db.DecodedValue v = cached.get(key);
          if (v == null) {
            loads.incrementAndGet();
            v = loader.load(key);
            cached.put(key, v);
          }
          return v;
        };
    try (com.maxmind.db.Reader r =
        new com.maxmind.db.Reader(new java.io.ByteArrayInputStream(writer.toByteArray()), counting)) {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 20; i++) {
          java.util.Map<?, ?> rec = r.get(java.net.InetAddress.getByName("81.2." + i + ".7"), java.util.Map.class);
          assertEquals("City" + i, ((java.util.Map<?, ?>) ((java.util.Map<?, ?>) rec.get("city")).get("names")).get("en"));
        }
      }
    }
    assertTrue(gets.get() > 3 * loads.get(), "shared parts come from the cache: " + gets + " gets, " + loads + " loads");
  }

  @Test
  void replacedRecordsAreNotWritten() {
    byte[] bytes =
        new MmdbWriter("GeoLite2-City", 6, 24)
            .insert("81.2.69.0/24", GeoRecords.cityRecord("GB", null, null, null, "Gone-City"))
            .insert("81.2.0.0/16", GeoRecords.cityRecord("GB", null, null, null, "Kept-City"))
            .toByteArray();
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    assertEquals(0, count(text, "Gone-City"));
    assertEquals(1, count(text, "Kept-City"));
  }

  private static int count(String haystack, String needle) {
    int count = 0;
    for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
      count++;
    }
    return count;
  }

  @Test
  void outputIsDeterministic() {
    assertTrue(java.util.Arrays.equals(cityWriter(28).toByteArray(), cityWriter(28).toByteArray()));
  }

  @Test
  void emptyDatabaseIsValid() throws Exception {
    Path file = dir.resolve("empty.mmdb");
    new MmdbWriter("GeoLite2-City", 6, 24).write(file);
    try (DatabaseReader reader = new DatabaseReader.Builder(file.toFile()).build()) {
      assertEquals(Optional.empty(), reader.tryCity(ip("1.1.1.1")));
      assertEquals(Optional.empty(), reader.tryCity(ip("2001:db8::1")));
      assertEquals(1, reader.metadata().nodeCount());
    }
  }

  @Test
  void wholeAddressSpace() throws Exception {
    Path file = dir.resolve("all.mmdb");
    new MmdbWriter("GeoLite2-City", 6, 24)
        .insert("::/0", GeoRecords.cityRecord("AA", null, null, null, null))
        .insert("0.0.0.0/0", GeoRecords.cityRecord("BB", null, null, null, null))
        .write(file);
    try (DatabaseReader reader = new DatabaseReader.Builder(file.toFile()).build()) {
      assertEquals("AA", reader.tryCity(ip("2001:db8::1")).orElseThrow().country().isoCode());
      assertEquals("BB", reader.tryCity(ip("1.1.1.1")).orElseThrow().country().isoCode());
      assertEquals("BB", reader.tryCity(ip("255.255.255.255")).orElseThrow().country().isoCode());
    }
  }

  @Test
  void rejectsBadInput() {
    MmdbWriter writer = new MmdbWriter("GeoLite2-City", 6, 24);
    Map<String, Object> record = Map.of("a", "b");
    assertThrows(IllegalArgumentException.class, () -> writer.insert("1.2.3/24", record));
    assertThrows(IllegalArgumentException.class, () -> writer.insert("example.com/24", record));
    assertThrows(IllegalArgumentException.class, () -> writer.insert("1.2.3.4/33", record));
    assertThrows(IllegalArgumentException.class, () -> writer.insert("1.2.3.4/-1", record));
    assertThrows(IllegalArgumentException.class, () -> writer.insert("1.2.3.4/x", record));
    assertThrows(IllegalArgumentException.class, () -> writer.insert("1.2.3.4/24", record));
    assertThrows(IllegalArgumentException.class, () -> writer.insert("2001:db8::/129", record));
    assertThrows(IllegalArgumentException.class, () -> writer.insert("2001:db8::1/64", record));
    assertThrows(IllegalArgumentException.class, () -> writer.insert("1.2.3.0/24", null));
    assertThrows(
        IllegalArgumentException.class,
        () -> writer.insert("1.2.3.0/24", Map.of("a", new Object())));
    assertThrows(
        IllegalArgumentException.class,
        () -> writer.insert("1.2.3.0/24", Map.of("a", -3_000_000_000L)));
    Map<String, Object> withNull = new LinkedHashMap<>();
    withNull.put("a", null);
    assertThrows(IllegalArgumentException.class, () -> writer.insert("1.2.3.0/24", withNull));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MmdbWriter("GeoLite2-City", 4, 24).insert("2001:db8::/32", record));
    assertThrows(IllegalArgumentException.class, () -> new MmdbWriter("GeoLite2-City", 5, 24));
    assertThrows(IllegalArgumentException.class, () -> new MmdbWriter("GeoLite2-City", 6, 20));
    assertThrows(IllegalArgumentException.class, () -> MmdbWriter.uint16(70_000));
    assertThrows(IllegalArgumentException.class, () -> MmdbWriter.uint32(-1));
    assertFalse(writer.toByteArray().length == 0);
  }

  @Test
  void geoRecordsLayout() {
    assertEquals(
        Map.of(
            "country", Map.of("iso_code", "DE", "names", Map.of("en", "Germany")),
            "subdivisions", List.of(Map.of("iso_code", "BE", "names", Map.of("en", "Berlin"))),
            "city", Map.of("names", Map.of("en", "Berlin"))),
        GeoRecords.cityRecord("DE", "Germany", "BE", "Berlin", "Berlin"));
    assertEquals(
        Map.of("country", Map.of("iso_code", "DE")),
        GeoRecords.cityRecord("DE", null, null, null, null));
    assertEquals(Map.of(), GeoRecords.cityRecord(null, null, null, null, null));
    Map<String, Object> asn = GeoRecords.asnRecord(64512, "Example");
    assertEquals("Example", asn.get("autonomous_system_organization"));
    assertNotNull(asn.get("autonomous_system_number"));
  }
}
