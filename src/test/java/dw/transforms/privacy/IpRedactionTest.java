package dw.transforms.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class IpRedactionTest {
  static final IpPseudonymizer KEYED = new IpPseudonymizer(IpPseudonymizerTest.KEY);
  static final ClientIpPolicy HASHED = new ClientIpPolicy(KEYED, false, false);
  static final ClientIpPolicy CLEAR = new ClientIpPolicy(KEYED, true, true);

  static String h(String ip) {
    return KEYED.hash(ip);
  }

  /** ALB logs write an IPv6 client as address:port without brackets (found by PipelinesHostileInputTest). */
  @Test
  void ipv6WithAPortAndNoBrackets() {
    String v6 = "2003:e0:fe75:8272:5af4:eaee:1cd4:9196";
    assertEquals("https t app/x/1 " + h(v6) + ":51234 10", IpRedaction.redactAddresses("https t app/x/1 " + v6 + ":51234 10", HASHED));
    String line = "a " + v6 + ":443 b";
    assertEquals("a " + h(v6) + ":443 b", IpRedaction.redactFields(line, HASHED, 2, 2 + v6.length() + 4, -1, -1));
    // a compressed address with a port is itself an address: hashed whole (never left in clear)
    assertEquals("x " + h("2001:db8::1:443") + " y", IpRedaction.redactAddresses("x 2001:db8::1:443 y", HASHED));
  }

  @Test
  void replacesEveryAddressTokenInFreeText() {
    assertEquals(
        "from " + h("192.0.2.1") + " via " + h("2001:db8::1") + ", " + h("::ffff:198.51.100.7") + ".",
        IpRedaction.redactAddresses("from 192.0.2.1 via 2001:db8::1, ::ffff:198.51.100.7.", HASHED));
    // the hash is the canonical address's: every text form gives client_ip_hash
    assertEquals(h("2001:db8::1"), IpRedaction.redactAddresses("2001:0DB8:0:0::0001", HASHED));
  }

  @Test
  void textWithoutAddressesIsReturnedAsIs() {
    String s = "2026-11-01\t12:30:45\tGo-http-client/2.0\tb=9.5.3.9.5.3&uc=12\tcafe:babe\t1.2.3";
    assertSame(s, IpRedaction.redactAddresses(s, HASHED));
    assertSame("", IpRedaction.redactAddresses("", HASHED));
    assertNull(IpRedaction.redactAddresses(null, HASHED));
  }

  @Test
  void addressesWithPortsPunctuationAndUrlEscapesAreFound() {
    assertEquals(h("192.0.2.1") + ":443", IpRedaction.redactAddresses("192.0.2.1:443", HASHED));
    assertEquals("[" + h("2001:db8::1") + "]:443", IpRedaction.redactAddresses("[2001:db8::1]:443", HASHED));
    assertEquals(
        h("192.0.2.1") + ",%20" + h("10.0.0.7"), IpRedaction.redactAddresses("192.0.2.1,%2010.0.0.7", HASHED));
    assertEquals("ip=" + h("203.0.113.9") + ";", IpRedaction.redactAddresses("ip=203.0.113.9;", HASHED));
    assertEquals(":" + h("203.0.113.9") + ":", IpRedaction.redactAddresses(":203.0.113.9:", HASHED));
    assertEquals("x" + h("203.0.113.9"), IpRedaction.redactAddresses("x203.0.113.9", HASHED));
  }

  @Test
  void clearPolicyKeepsTheText() {
    String s = "from 192.0.2.1";
    assertSame(s, IpRedaction.redactAddresses(s, CLEAR));
    assertSame(s, IpRedaction.redactFields(s, CLEAR, 5, 14, -1, -1));
  }

  @Test
  void addressFieldIsHashedWithItsPortKept() {
    // ALB-like: space separated, client:port as the fourth field, quoted strings
    String alb = "h2 2026-11-01T00:00:01Z app/lb/1 192.0.2.1:5123 10.0.0.1:80 \"GET https://x/ HTTP/2\"";
    int from = alb.indexOf("192.");
    int to = alb.indexOf(' ', from);
    assertEquals(
        "h2 2026-11-01T00:00:01Z app/lb/1 " + h("192.0.2.1") + ":5123 10.0.0.1:80 \"GET https://x/ HTTP/2\"",
        IpRedaction.redactFields(alb, HASHED, from, to, -1, -1));
    String v6 = "a [2001:db8::2]:5123 b";
    assertEquals("a [" + h("2001:db8::2") + "]:5123 b", IpRedaction.redactFields(v6, HASHED, 2, 18, -1, -1));
    assertSame("a - b", IpRedaction.redactFields("a - b", HASHED, 2, 3, -1, -1));
  }

  @Test
  void listFieldBeforeOrAfterTheAddressField() {
    String line = "192.0.2.1|198.51.100.1, 10.0.0.2|end";
    assertEquals(
        h("192.0.2.1") + "|" + h("198.51.100.1") + ", " + h("10.0.0.2") + "|end",
        IpRedaction.redactFields(line, HASHED, 0, 9, 10, 32));
    String swapped = "198.51.100.1, 10.0.0.2|192.0.2.1|end";
    assertEquals(
        h("198.51.100.1") + ", " + h("10.0.0.2") + "|" + h("192.0.2.1") + "|end",
        IpRedaction.redactFields(swapped, HASHED, 23, 32, 0, 22));
  }

  @Test
  void anAddressFieldThatHoldsNoAddressRedactsTheWholeLine() {
    // the caller's positions are off: whatever looks like an address anywhere is replaced
    String line = "GET 192.0.2.1 x";
    assertEquals("GET " + h("192.0.2.1") + " x", IpRedaction.redactFields(line, HASHED, 0, 3, -1, -1));
    assertEquals("GET " + h("192.0.2.1") + " x", IpRedaction.redactFields(line, HASHED, 10, 99, -1, -1));
  }

  @Test
  void portForms() {
    assertEquals(null, IpRedaction.hostOf("192.0.2.1:", 0, 10));
    assertEquals(null, IpRedaction.hostOf("192.0.2.1:1234567", 0, 17));
    assertEquals(null, IpRedaction.hostOf("GET", 0, 3));
    assertEquals(9, IpRedaction.hostOf("192.0.2.1:80", 0, 12)[1]);
    assertEquals(0, IpRedaction.hostOf("-", 0, 1)[1]);
  }
}
