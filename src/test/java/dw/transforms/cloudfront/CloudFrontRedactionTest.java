package dw.transforms.cloudfront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpPseudonymizer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CloudFrontRedactionTest {
  static final IpPseudonymizer KEYED =
      new IpPseudonymizer(HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
  static final ClientIpPolicy HASHED = new ClientIpPolicy(KEYED, false, false);
  static final CloudFrontLayout STD = CloudFrontLayout.STANDARD;

  static String redact(String raw) {
    return CloudFrontRedaction.redact(raw, STD, HASHED);
  }

  /** The fields of a redacted line. */
  static String[] fields(String line) {
    return line.split("\t", -1);
  }

  @Test
  void ipv4ClientAddressIsReplacedByItsHashAndNothingElseChanges() {
    String raw = TestLines.ping().clientIp("203.0.113.25").query("uc=abc&id=x").build();
    String red = redact(raw);
    String[] in = fields(raw);
    String[] out = fields(red);
    assertEquals(in.length, out.length);
    for (int i = 0; i < in.length; i++) {
      assertEquals(i == STD.index(CloudFrontField.CLIENT_IP) ? KEYED.hash("203.0.113.25") : in[i], out[i], "field " + i);
    }
    assertFalse(red.contains("203.0.113.25"));
  }

  @Test
  void ipv6ClientAddressAndForwardedForList() {
    String raw =
        TestLines.ping()
            .clientIp("2001:db8:85a3::8a2e:370:7334")
            .set("x-forwarded-for", "198.51.100.4,%202001:db8::9")
            .build();
    String[] out = fields(redact(raw));
    assertEquals(KEYED.hash("2001:db8:85a3::8a2e:370:7334"), out[4]);
    assertEquals(KEYED.hash("198.51.100.4") + ",%20" + KEYED.hash("2001:db8::9"), out[STD.fieldNames().indexOf("x-forwarded-for")]);
  }

  @Test
  void missingClientAddressKeepsTheLine() {
    String raw = TestLines.ping().clientIp("-").build();
    assertEquals(raw, redact(raw));
  }

  @Test
  void olderLayoutsAndAStrayTrailingTabAndCrlf() {
    CloudFrontLayout l26 = TestLines.layout(26);
    String raw = TestLines.ping().clientIp("192.0.2.140").build(l26) + "\t\r";
    String red = CloudFrontRedaction.redact(raw, l26, HASHED);
    assertEquals(raw.replace("192.0.2.140", KEYED.hash("192.0.2.140")), red);
    // a layout that has c-ip elsewhere
    CloudFrontLayout moved = CloudFrontLayout.fromFieldNames(java.util.List.of(
        "c-ip", "date", "time", "cs-method", "cs-uri-stem", "cs(User-Agent)", "cs-uri-query"));
    String line = "192.0.2.9\t2026-11-01\t00:00:01\tGET\t/security\tGo-http-client/2.0\tid=1";
    assertEquals(line.replace("192.0.2.9", KEYED.hash("192.0.2.9")), CloudFrontRedaction.redact(line, moved, HASHED));
  }

  @Test
  void shortAndTruncatedLinesAreRedactedConservatively() {
    String full = TestLines.ping().clientIp("203.0.113.25").build();
    // cut in the middle of the 9th field: the address is still there, the layout no longer fits
    String cut = full.substring(0, full.indexOf("/security") + 4);
    String red = redact(cut);
    assertFalse(red.contains("203.0.113.25"), red);
    assertTrue(red.contains(KEYED.hash("203.0.113.25")), red);
    assertTrue(red.startsWith("2024-05-06\t00:12:41\tIAD89-C1\t493\t"), red);
    // a line that ends inside the address: what is left is no longer that address
    String inAddress = full.substring(0, full.indexOf("203.0.113.25") + 8);
    assertSame(inAddress, redact(inAddress));
    // an IPv6 client in a short line
    String v6 = "2024-05-06\t00:12:41\tIAD89-C1\t493\t2001:db8::7\tGET";
    assertEquals(v6.replace("2001:db8::7", KEYED.hash("2001:db8::7")), redact(v6));
  }

  @Test
  void shiftedFieldsFallBackToTheWholeLine() {
    // a missing edge field: c-ip's position now holds "GET", the address sits one field earlier
    String raw = TestLines.ping().clientIp("203.0.113.25").build().replaceFirst("IAD89-C1\t", "") + "\tx";
    String red = redact(raw);
    assertFalse(red.contains("203.0.113.25"), red);
    assertTrue(red.contains(KEYED.hash("203.0.113.25")));
  }

  @Test
  void garbageEmptyAndHeaderLines() {
    assertSame("ZmFrZQ==%_-abc", redact("ZmFrZQ==%_-abc"));
    assertSame("", redact(""));
    assertSame("#Version: 1.0", redact("#Version: 1.0"));
    assertSame(TestLines.FIELDS_HEADER_33, redact(TestLines.FIELDS_HEADER_33));
    // a broken header with an address in it (bad_fields_header dead letter, no layout)
    assertEquals("#Fields: date c-ip " + KEYED.hash("192.0.2.1"),
        CloudFrontRedaction.redact("#Fields: date c-ip 192.0.2.1", null, HASHED));
  }

  @Test
  void clearPolicyKeepsTheRawLine() {
    String raw = TestLines.ping().clientIp("203.0.113.25").build();
    assertSame(raw, CloudFrontRedaction.redact(raw, STD, new ClientIpPolicy(KEYED, false, true)));
  }

  @Test
  void everyDocumentationLineLosesItsAddress() {
    for (String raw : TestLines.DOC_LINES) {
      String ip = fields(raw)[4];
      String red = redact(raw);
      assertFalse(red.contains(ip), red);
      assertEquals(raw.length() - ip.length() + IpPseudonymizer.HASH_HEX_LENGTH, red.length());
    }
  }
}
