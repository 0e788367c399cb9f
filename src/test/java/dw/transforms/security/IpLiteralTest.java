package dw.transforms.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

  @ParameterizedTest
  @CsvSource({
    "194.30.0.184, 194.30.0.184",
    "0.0.0.0, 0.0.0.0",
    "255.255.255.255, 255.255.255.255",
    "2001:db8::1, 2001:db8::1",
    "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
    "::, ::",
    "::1, ::1",
    "1::, 1::",
    "1:0:0:2:0:0:0:3, 1:0:0:2::3",
    "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
    "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "::ffff:192.0.2.1, ::ffff:c000:201",
    "64:ff9b::198.51.100.7, 64:ff9b::c633:6407"
  })
  void canonicalForms(String in, String expected) throws Exception {
    assertEquals(expected, IpLiteral.canonical(in));
    // Same address as the JDK reads it (literals only, so no name lookup happens).
    assertEquals(InetAddress.getByName(in), InetAddress.getByName(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", ":", ":::", "1:::2", "1::2::3", ":1::", "1:", "1:2:3:4:5:6:7:8:9",
          "1:2:3:4:5:6:7", "12345::", "g::1", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "1.2.3.4:5",
          "1.2.3", "1.2.3.4.", ".1.2.3.4", "1.2.3.256", "001.2.3.4", "1..2.3", "a.b.c.d", "::%1",
          "2001:db8::1%eth0", " 1.2.3.4"})
  void invalidLiterals(String in) {
    assertNull(IpLiteral.canonical(in));
  }
}
