package dw.transforms.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class IpPseudonymizerTest {
  static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  static final byte[] OTHER_KEY = HexFormat.of().parseHex("ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  final IpPseudonymizer p = new IpPseudonymizer(KEY);

  @Test
  void sameIpSameHashAndTheHashIs64LowercaseHex() {
    String h = p.hash("192.0.2.1");
    assertEquals(h, p.hash("192.0.2.1"));
    assertEquals(h, new IpPseudonymizer(KEY).hash("192.0.2.1"));
    assertEquals(IpPseudonymizer.HASH_HEX_LENGTH, h.length());
    assertTrue(h.matches("[0-9a-f]{64}"), h);
    assertNotEquals(h, p.hash("192.0.2.2"));
  }

  @Test
  void isHmacSha256OfTheFamilyByteAndTheAddressBytes() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    mac.update((byte) 4);
    String expected = HexFormat.of().formatHex(mac.doFinal(new byte[] {(byte) 192, 0, 2, 1}));
    assertEquals(expected, p.hash("192.0.2.1"));
  }

  @Test
  void equalsTheJdkHmacForKeysOfEveryLengthAndEveryKindOfValue() throws Exception {
    // 16, 32, 64 (one block), 65 and 100 bytes (hashed first, RFC 2104)
    for (int length : new int[] {16, 32, 64, 65, 100}) {
      byte[] key = new byte[length];
      for (int i = 0; i < length; i++) {
        key[i] = (byte) (i * 31 + length);
      }
      IpPseudonymizer keyed = new IpPseudonymizer(key);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      for (String ip : List.of("192.0.2.1", "2001:db8::1", "not-an-ip", "ünïcode")) {
        byte[] canonical = IpPseudonymizer.canonical(ip);
        mac.update((byte) (canonical == null ? 0 : canonical.length == 4 ? 4 : 6));
        byte[] expected =
            mac.doFinal(canonical == null ? ip.getBytes(java.nio.charset.StandardCharsets.UTF_8) : canonical);
        assertEquals(HexFormat.of().formatHex(expected), keyed.hash(ip), length + " " + ip);
        ClientIpPolicy.Pseudonyms ps = new ClientIpPolicy(keyed, false, false).pseudonyms(ip);
        assertEquals(keyed.hash(ip), ps.hash());
        assertEquals(java.nio.ByteBuffer.wrap(expected).getLong(), ps.fingerprint(), "the first 64 bits");
        assertEquals(IpPseudonymizer.fingerprint(ps.hash()), ps.fingerprint());
      }
    }
  }

  @Test
  void pseudonymsFollowThePolicyAndNeverShowTheAddress() {
    ClientIpPolicy.Pseudonyms ps = new ClientIpPolicy(p, true, false).pseudonyms("192.0.2.1");
    assertEquals(p.hash("192.0.2.1"), ps.hash());
    assertEquals("192.0.2.0/24", ps.network());
    assertNull(ps.clear());
    assertEquals("192.0.2.1", new ClientIpPolicy(p, false, true).pseudonyms("192.0.2.1").clear());
    assertNull(new ClientIpPolicy(p, false, true).pseudonyms("192.0.2.1").network());
    assertNull(new ClientIpPolicy(p, true, true).pseudonyms("-"));
    assertNull(new ClientIpPolicy(p, true, true).pseudonyms(null));
    assertFalse(ps.toString().contains("192.0.2.1"), ps.toString());
  }

  @Test
  void aDifferentKeyGivesADifferentHash() {
    assertNotEquals(p.hash("192.0.2.1"), new IpPseudonymizer(OTHER_KEY).hash("192.0.2.1"));
    assertNotEquals(p.hash("2001:db8::1"), new IpPseudonymizer(OTHER_KEY).hash("2001:db8::1"));
  }

  @Test
  void everyTextFormOfOneAddressHashesTheSame() {
    String v6 = p.hash("2001:db8::1");
    assertEquals(v6, p.hash("2001:0DB8:0000:0000:0000:0000:0000:0001"));
    assertEquals(v6, p.hash("2001:db8:0:0::1"));
    assertNotEquals(v6, p.hash("2001:db8::2"));
    // IPv4-mapped IPv6 is the IPv4 address
    assertEquals(p.hash("192.0.2.1"), p.hash("::ffff:192.0.2.1"));
    assertEquals(p.hash("192.0.2.1"), p.hash("::FFFF:c000:0201"));
    // but the IPv4-compatible / NAT64 forms are other addresses
    assertNotEquals(p.hash("192.0.2.1"), p.hash("64:ff9b::192.0.2.1"));
  }

  @Test
  void nonAddressesAreStillHashedAndMissingValuesAreNull() {
    assertNull(p.hash(null));
    assertNull(p.hash(""));
    assertNull(p.hash("-"));
    String odd = p.hash("unknown");
    assertEquals(64, odd.length());
    assertFalse(odd.contains("unknown"));
    // four characters cannot collide with a four-byte address: the family byte differs
    assertNotEquals(p.hash("\u00c0\u0000\u0002\u0001"), p.hash("192.0.2.1"));
  }

  @Test
  void networksAreTruncatedToSlash24AndSlash48() {
    assertEquals("192.0.2.0/24", IpPseudonymizer.network("192.0.2.77"));
    assertEquals("192.0.2.0/24", IpPseudonymizer.network("::ffff:192.0.2.77"));
    assertEquals("2001:db8:1::/48", IpPseudonymizer.network("2001:db8:1:2:3:4:5:6"));
    assertEquals("2001:db8:1::/48", IpPseudonymizer.network("2001:0db8:0001::ffff"));
    assertEquals("2001::/48", IpPseudonymizer.network("2001:0:0:5::1"));
    assertEquals("::/48", IpPseudonymizer.network("::1"));
    assertNull(IpPseudonymizer.network("not-an-ip"));
    assertNull(IpPseudonymizer.network(null));
  }

  @Test
  void rfc5952Text() {
    assertEquals("2001:db8::1", dw.geo.IpAddresses.toText(dw.geo.IpAddresses.parse("2001:db8:0:0:0:0:0:1")));
    assertEquals("2001:db8:0:1:1:1:1:1", dw.geo.IpAddresses.toText(dw.geo.IpAddresses.parse("2001:db8:0:1:1:1:1:1")));
    assertEquals("2001:0:0:1::1", dw.geo.IpAddresses.toText(dw.geo.IpAddresses.parse("2001:0:0:1:0:0:0:1")));
    assertEquals("::", dw.geo.IpAddresses.toText(new byte[16]));
  }

  @Test
  void shortKeysAreRejectedWithoutShowingThem() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new IpPseudonymizer(new byte[] {1, 2, 3}));
    assertTrue(e.getMessage().contains("16 bytes"), e.getMessage());
  }

  @Test
  void toStringAndSerializationNeverExposeTheKeyAndKeepTheHash() throws Exception {
    assertFalse(p.toString().contains(HexFormat.of().formatHex(KEY)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new ClientIpPolicy(p, true, false));
    }
    ClientIpPolicy copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (ClientIpPolicy) in.readObject();
    }
    assertEquals(p.hash("198.51.100.9"), copy.hash("198.51.100.9"));
    assertEquals("198.51.100.0/24", copy.network("198.51.100.9"));
    assertNull(copy.clear("198.51.100.9"));
    assertFalse(copy.toString().contains(HexFormat.of().formatHex(KEY)));
  }

  @Test
  void thePolicyStoresTheClearAddressOnlyWhenAskedTo() {
    ClientIpPolicy hashOnly = new ClientIpPolicy(p, false, false);
    assertNull(hashOnly.network("192.0.2.1"));
    assertNull(hashOnly.clear("192.0.2.1"));
    assertEquals(p.hash("192.0.2.1"), hashOnly.hash("192.0.2.1"));
    assertEquals("192.0.2.1", new ClientIpPolicy(p, false, true).clear("192.0.2.1"));
  }

  @Test
  void isThreadSafe() {
    List<String> ips = IntStream.range(0, 5000).mapToObj(i -> "10." + (i >> 8 & 255) + "." + (i & 255) + ".7").toList();
    List<String> sequential = ips.stream().map(p::hash).collect(Collectors.toList());
    for (int round = 0; round < 3; round++) {
      assertEquals(sequential, ips.parallelStream().map(p::hash).collect(Collectors.toList()));
    }
  }
}
