package dw.pipelines.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GeneratorNetworksTest {

  private final List<GeneratorNetworks.Network> all = GeneratorNetworks.all();

  @Test
  void tableHasTheRequiredShape() {
    assertTrue(all.size() >= 30, "about 30 networks");
    assertTrue(all.stream().filter(GeneratorNetworks.Network::isIpv6).count() >= 4, "4+ IPv6 networks");
    Set<String> countries = new HashSet<>();
    for (GeneratorNetworks.Network n : all) {
      countries.add(n.countryIso());
      assertTrue(n.countryIso().matches("[A-Z]{2}"), n.toString());
      assertTrue(n.subdivisionIso().startsWith(n.countryIso() + "-"), n.toString());
      assertFalse(n.countryName().isBlank() || n.subdivisionName().isBlank() || n.city().isBlank());
      if (n.isIpv6()) {
        assertTrue(n.prefixLength() >= 32 && n.prefixLength() <= 48, n.toString());
        assertFalse(n.cidr().startsWith("2001:db8:"), "not only documentation ranges");
      }
    }
    assertTrue(countries.containsAll(Set.of("US", "DE", "FR", "GB", "JP", "BR", "IN", "CA", "AU", "NL",
        "RU", "IR", "KP")), countries.toString());
  }

  @Test
  void randomAddressesFallInsideTheirNetworkOnly() {
    SplittableRandom r = new SplittableRandom(1);
    Pattern v4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    for (int i = 0; i < all.size(); i++) {
      GeneratorNetworks.Network n = all.get(i);
      for (int k = 0; k < 200; k++) {
        String ip = k % 2 == 0 ? GeneratorNetworks.randomAddress(n, r) : GeneratorNetworks.randomAddress(i, r);
        assertEquals(n, GeneratorNetworks.lookup(ip).orElse(null), ip + " in " + n.cidr());
        if (!n.isIpv6()) {
          assertTrue(v4.matcher(ip).matches(), ip);
        } else {
          assertEquals(ip, ip.toLowerCase());
          for (String g : ip.split(":")) {
            assertFalse(g.length() > 1 && g.startsWith("0"), "RFC 5952: no leading zeros " + ip);
          }
        }
      }
    }
  }

  @Test
  void networksDoNotOverlap() {
    // every network's own base address maps back to that network
    for (GeneratorNetworks.Network n : all) {
      String base = n.cidr().substring(0, n.cidr().indexOf('/'));
      if (base.endsWith("::")) {
        base = base + "1";
      }
      assertEquals(n, GeneratorNetworks.lookup(base).orElseThrow(), n.cidr());
    }
  }

  @Test
  void unmappedAndRestrictedAddressesHaveNoCountry() {
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < GeneratorNetworks.UNMAPPED_RANGES.size(); i++) {
      for (int k = 0; k < 200; k++) {
        String ip = GeneratorNetworks.randomUnmappedAddress(i, r);
        assertNull(GeneratorNetworks.countryIsoOf(ip), ip);
      }
    }
    assertNull(GeneratorNetworks.countryIsoOf(GeneratorNetworks.RESTRICTED_IP));
    assertNull(GeneratorNetworks.countryIsoOf("not-an-ip"));
    assertNull(GeneratorNetworks.countryIsoOf(""));
    assertEquals("KP", GeneratorNetworks.countryIsoOf("175.45.177.3"));
    assertEquals("DE", GeneratorNetworks.countryIsoOf("2003:e0:1234::1"));
    assertEquals("DE", GeneratorNetworks.countryIsoOf("2003:00e0:1234:0000:0000:0000:0000:0001"));
  }

  @Test
  void ipv6TextFormIsCompressed() {
    assertEquals("2001:db8::1", GeneratorNetworks.formatIpv6(0x20010db800000000L, 1L));
    assertEquals("2003:e0:1:0:1::1", GeneratorNetworks.formatIpv6(0x200300e000010000L, 0x0001000000000001L));
    assertEquals("::1", GeneratorNetworks.formatIpv6(0, 1));
  }
}
