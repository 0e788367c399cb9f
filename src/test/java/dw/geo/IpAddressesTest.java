package dw.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0",
        "1.2.3.4",
        "255.255.255.255",
        "192.0.2.1",
        "10.0.0.1",
        "100.64.0.0",
        "8.8.8.8",
        "81.2.69.160",
        "127.0.0.1",
        "::",
        "::1",
        "1::",
        "2001:db8::1",
        "2001:DB8::1",
        "2001:0db8:0000:0000:0000:ff00:0042:8329",
        "2001:db8:0:0:0:ff00:42:8329",
        "2001:db8::ff00:42:8329",
        "fe80::1",
        "ff02::2",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8",
        "1::8",
        "1:2:3:4:5:6::8",
        "::ffff:1.2.3.4",
        "::ffff:192.168.0.1",
        "::1.2.3.4",
        "64:ff9b::192.0.2.33",
        "1:2:3:4:5:6:1.2.3.4",
        "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"
      })
  void parsesLikeTheJdkForLiterals(String literal) throws Exception {
    // For literals InetAddress.getByName does not touch DNS, so it is a safe reference here.
    byte[] expected = InetAddress.getByName(literal).getAddress();
    byte[] actual = IpAddresses.parse(literal);
    if (actual.length == 16 && IpAddresses.isIpv4Mapped(actual)) {
      // The JDK turns IPv4-mapped addresses into IPv4; the parser keeps all 16 bytes.
      byte[] ipv4 = new byte[4];
      System.arraycopy(actual, 12, ipv4, 0, 4);
      actual = ipv4;
    }
    assertArrayEquals(expected, actual, literal);
  }

  @Test
  void ipv4BytesAreInNetworkOrder() {
    assertArrayEquals(new byte[] {1, 2, 3, 4}, IpAddresses.parse("1.2.3.4"));
    assertArrayEquals(
        new byte[] {(byte) 192, (byte) 168, 0, (byte) 255}, IpAddresses.parse("192.168.0.255"));
  }

  @Test
  void ipv6CompressionExpandsInTheRightPlace() {
    byte[] expected = new byte[16];
    expected[0] = 0x20;
    expected[1] = 0x01;
    expected[2] = 0x0d;
    expected[3] = (byte) 0xb8;
    expected[15] = 0x01;
    assertArrayEquals(expected, IpAddresses.parse("2001:db8::1"));
    assertArrayEquals(new byte[16], IpAddresses.parse("::"));
    byte[] loopback = new byte[16];
    loopback[15] = 1;
    assertArrayEquals(loopback, IpAddresses.parse("::1"));
  }

  @Test
  void embeddedIpv4FillsTheLastFourBytes() {
    byte[] mapped = IpAddresses.parse("::ffff:1.2.3.4");
    assertArrayEquals(
        new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4}, mapped);
    assertTrue(IpAddresses.isIpv4Mapped(mapped));
    assertFalse(IpAddresses.isIpv4Mapped(IpAddresses.parse("::1.2.3.4")));
    assertFalse(IpAddresses.isIpv4Mapped(IpAddresses.parse("1.2.3.4")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-",
        " ",
        "1",
        "1.2.3",
        "1.2.3.4.5",
        "256.1.1.1",
        "1.2.3.256",
        "1.2.3.-1",
        "1..2.3",
        ".1.2.3",
        "1.2.3.",
        "01.2.3.4",
        "1.2.3.04",
        "1.2.3.4 ",
        " 1.2.3.4",
        "1.2.3.4\n",
        "1.2.3.4/24",
        "1.2.3.4:80",
        "0x7f.0.0.1",
        "2130706433",
        "abc",
        "localhost",
        "example.com",
        "www.example.com",
        "a.b.c.d",
        "1.2.3.a",
        "１.２.３.４",
        ":",
        ":::",
        "1:2",
        ":1::2",
        "1::2:",
        "1:::2",
        "1::2::3",
        "::1::",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::",
        "::1:2:3:4:5:6:7:8",
        "12345::1",
        "g::1",
        "2001:db8::1 ",
        "fe80::1%eth0",
        "fe80::1%1",
        "[::1]",
        "[2001:db8::1]:443",
        "2001:db8::/32",
        "::ffff:1.2.3",
        "::ffff:1.2.3.4.5",
        "::ffff:256.2.3.4",
        "1.2.3.4::",
        "::1.2.3.4:5",
        "1:2:3:4:5:6:7:1.2.3.4",
        "1:2:3:4:5:6:7:8:1.2.3.4",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"
      })
  void rejectsAnythingThatIsNotALiteral(String text) {
    assertNull(IpAddresses.parse(text), () -> "'" + text + "'");
    assertFalse(IpAddresses.isLiteral(text));
  }

  @Test
  void rejectsNull() {
    assertNull(IpAddresses.parse(null));
  }

  @Test
  void hostNamesAreNotResolved() {
    // A resolver would block for seconds on an unknown name; the parser answers at once.
    assertTimeoutPreemptively(
        Duration.ofMillis(500),
        () -> {
          assertNull(IpAddresses.parse("no-such-host.invalid"));
          assertNull(IpAddresses.parse("localhost"));
          assertNull(IpAddresses.parse("dns.google"));
        });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0",
        "0.1.2.3",
        "10.1.2.3",
        "100.64.0.1",
        "100.127.255.255",
        "127.0.0.1",
        "169.254.1.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "fe80::1",
        "febf::1",
        "fec0::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "::ffff:127.0.0.1",
        "::ffff:192.168.0.1"
      })
  void nonPublicAddresses(String literal) {
    assertTrue(IpAddresses.isNonPublic(IpAddresses.parse(literal)), literal);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.1.1.1",
        "8.8.8.8",
        "9.255.255.255",
        "11.0.0.0",
        "100.63.255.255",
        "100.128.0.0",
        "126.255.255.255",
        "128.0.0.1",
        "169.253.1.1",
        "172.15.255.255",
        "172.32.0.0",
        "192.0.2.1",
        "192.167.1.1",
        "223.255.255.255",
        "81.2.69.160",
        "::2",
        "::1.2.3.4",
        "2001:db8::1",
        "2001:218::",
        "2a02:d280::1",
        "fbff::1",
        "fe7f::1",
        "::ffff:8.8.8.8"
      })
  void publicAddresses(String literal) {
    assertFalse(IpAddresses.isNonPublic(IpAddresses.parse(literal)), literal);
  }
}
