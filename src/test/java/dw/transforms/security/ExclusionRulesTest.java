package dw.transforms.security;

import static dw.transforms.security.ExclusionReason.ACTIVE_EXCEEDS_REGISTERED;
import static dw.transforms.security.ExclusionReason.CUSTOM_BUILD_FORMAT;
import static dw.transforms.security.ExclusionReason.EXCLUDED_COUNTRY;
import static dw.transforms.security.ExclusionReason.INVALID_SERVER_ID;
import static dw.transforms.security.ExclusionReason.RAN_UNIT_TESTS;
import static dw.transforms.security.ExclusionReason.RESTRICTED_IP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExclusionRulesTest {
  private static final ExclusionRules RULES = ExclusionRules.DEFAULT;

  /** A ping that triggers no reason. */
  private static SecurityPing.Builder clean() {
    return SecurityPing.builder()
        .serverId("wj3drgzdpnf54rxf5d8qd3dqne")
        .rawBuild("9.5.3.9.5.3")
        .registeredUsers(212L)
        .activeUsers(37L)
        .ranUnitTests(false)
        .clientIp("203.0.113.25");
  }

  @Test
  void cleanPingHasNoReason() {
    assertEquals(0, RULES.reasons(clean(), "US"));
    assertEquals(0, RULES.reasons(clean(), null));
  }

  @Test
  void ranUnitTests() {
    assertEquals(RAN_UNIT_TESTS.bit(), RULES.reasons(clean().ranUnitTests(true), "US"));
  }

  @Test
  void customBuildFormat() {
    assertEquals(CUSTOM_BUILD_FORMAT.bit(), RULES.reasons(clean().rawBuild("9.8.0.dev"), "US"));
    assertEquals(CUSTOM_BUILD_FORMAT.bit(), RULES.reasons(clean().rawBuild(null), "US"));
  }

  @Test
  void activeUsersExceedRegistered() {
    assertEquals(
        ACTIVE_EXCEEDS_REGISTERED.bit(),
        RULES.reasons(clean().activeUsers(900L).registeredUsers(40L), "US"));
  }

  @Test
  void activeEqualToRegisteredIsFine() {
    assertEquals(0, RULES.reasons(clean().activeUsers(40L).registeredUsers(40L), "US"));
  }

  @Test
  void activeVersusRegisteredNeedsBothCounts() {
    assertEquals(0, RULES.reasons(clean().activeUsers(900L).registeredUsers(null), "US"));
    assertEquals(0, RULES.reasons(clean().activeUsers(null).registeredUsers(0L), "US"));
  }

  @Test
  void serverIdNotTwentySixCharactersIsInvalid() {
    assertEquals(
        INVALID_SERVER_ID.bit(), RULES.reasons(clean().serverId("wj3drgzdpnf54rxf5d8qd3dqn"), "US"));
    assertEquals(
        INVALID_SERVER_ID.bit(),
        RULES.reasons(clean().serverId("wj3drgzdpnf54rxf5d8qd3dqnee"), "US"));
    assertEquals(INVALID_SERVER_ID.bit(), RULES.reasons(clean().serverId(null), "US"));
    assertEquals(INVALID_SERVER_ID.bit(), RULES.reasons(clean().serverId(""), "US"));
  }

  @Test
  void serverIdLengthCountsCodePoints() {
    String id = "\uD83D\uDE00" + "a".repeat(25); // 26 code points, 27 chars
    assertEquals(0, RULES.reasons(clean().serverId(id), "US"));
  }

  @Test
  void restrictedIp() {
    assertEquals(RESTRICTED_IP.bit(), RULES.reasons(clean().clientIp("194.30.0.184"), "US"));
    assertEquals(0, RULES.reasons(clean().clientIp("194.30.0.18"), "US"));
    assertEquals(0, RULES.reasons(clean().clientIp(null), "US"));
  }

  @Test
  void restrictedIpv6MatchesAnySpelling() {
    ExclusionRules r = ExclusionRules.of("2001:DB8:0:0::1, 192.0.2.7", null);
    assertTrue(r.restrictedIps().contains(ExclusionRules.canonicalIp("2001:db8::1")));
    assertEquals(RESTRICTED_IP.bit(), r.reasons(clean().clientIp("2001:db8::1"), "US"));
    assertEquals(
        RESTRICTED_IP.bit(), r.reasons(clean().clientIp("2001:0db8:0000:0000:0000:0000:0000:0001"), "US"));
    assertEquals(0, r.reasons(clean().clientIp("2001:db8::2"), "US"));
    assertEquals(RESTRICTED_IP.bit(), r.reasons(clean().clientIp("192.0.2.7"), "US"));
  }

  @Test
  void restrictedIpv4MatchesItsIpv4MappedSpelling() {
    assertEquals(RESTRICTED_IP.bit(), RULES.reasons(clean().clientIp("::ffff:194.30.0.184"), "US"));
    assertEquals(RESTRICTED_IP.bit(), RULES.reasons(clean().clientIp("::FFFF:c21e:b8"), "US"));
    assertEquals(0, RULES.reasons(clean().clientIp("::ffff:194.30.0.185"), "US"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"RU", "IR", "KP", "ru"})
  void excludedCountry(String iso) {
    assertEquals(EXCLUDED_COUNTRY.bit(), RULES.reasons(clean(), iso));
  }

  @Test
  void unknownOrOtherCountryIsNotExcluded() {
    assertEquals(0, RULES.reasons(clean(), null));
    assertEquals(0, RULES.reasons(clean(), "US"));
    assertEquals(0, RULES.reasons(clean(), "RUS"));
    assertEquals(0, RULES.reasons(clean(), ""));
  }

  @Test
  void allReasonsCombined() {
    SecurityPing.Builder p =
        clean()
            .ranUnitTests(true)
            .rawBuild("9.8.0.dev")
            .activeUsers(2L)
            .registeredUsers(1L)
            .serverId("short")
            .clientIp("194.30.0.184");
    int mask = RULES.reasons(p, "KP");
    assertEquals(63, mask);
    assertEquals(
        "ran_unit_tests,custom_build_format,active_users_exceed_registered,invalid_server_id,"
            + "restricted_ip,excluded_country",
        ExclusionReason.joined(mask));
  }

  @Test
  void twoReasonsOfTheDevBuildLine() {
    int mask = RULES.reasons(clean().ranUnitTests(true).rawBuild("9.8.0.dev"), "US");
    assertEquals(ExclusionReason.mask(RAN_UNIT_TESTS, CUSTOM_BUILD_FORMAT), mask);
  }

  @Test
  void reasonsAlsoWorkOnAFinishedPing() {
    SecurityPing ping = clean().ranUnitTests(true).build();
    assertEquals(RAN_UNIT_TESTS.bit(), RULES.reasons(ping, null));
  }

  @Test
  void defaultsAreTheOriginalRules() {
    assertEquals(Set.of("194.30.0.184"), RULES.restrictedIps());
    assertEquals(List.of("RU", "IR", "KP"), List.copyOf(RULES.excludedCountries()));
    assertEquals(RULES, ExclusionRules.of(null, null));
    assertEquals(RULES, ExclusionRules.of("194.30.0.184", "RU,IR,KP"));
  }

  @Test
  void blankOptionsTurnTheRulesOff() {
    ExclusionRules off = ExclusionRules.of("", " ");
    assertTrue(off.restrictedIps().isEmpty());
    assertTrue(off.excludedCountries().isEmpty());
    assertEquals(0, off.reasons(clean().clientIp("194.30.0.184"), "RU"));
  }

  @Test
  void optionParsingTrimsLowerCaseAndDuplicates() {
    ExclusionRules r = ExclusionRules.of(" 192.0.2.1 ,,192.0.2.1, 198.51.100.2", "cn, us ,CN,");
    assertEquals(List.of("192.0.2.1", "198.51.100.2"), List.copyOf(r.restrictedIps()));
    assertEquals(List.of("CN", "US"), List.copyOf(r.excludedCountries()));
    assertEquals("192.0.2.1,198.51.100.2", r.restrictedIpsOption());
    assertEquals("CN,US", r.excludedCountriesOption());
    assertEquals(r, ExclusionRules.of(r.restrictedIpsOption(), r.excludedCountriesOption()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"194.30.0", "localhost", "256.1.1.1", "01.2.3.4", "1.2.3.4/24", "1.2.3.4.5",
          "fe80::1%eth0", "2001:db8:::1", "2001:db8::1::2", "12345::1", "g::1", "1.2.3.-4"})
  void invalidRestrictedIpIsRejectedByName(String bad) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ExclusionRules.of("192.0.2.1," + bad, null));
    assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("restricted IP"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"RUS", "R", "R1", "Ä1", "Russia", "1R"})
  void invalidCountryCodeIsRejectedByName(String bad) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ExclusionRules.of(null, "RU," + bad));
    assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("country"), e.getMessage());
  }

  @Test
  void isSerializable() throws Exception {
    ExclusionRules r = ExclusionRules.of("2001:db8::1,192.0.2.1", "RU,CN");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(r);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      ExclusionRules copy = (ExclusionRules) in.readObject();
      assertEquals(r, copy);
      assertTrue(copy.isRestrictedIp("2001:0db8::0:1"));
      assertTrue(copy.isExcludedCountry("cn"));
      assertFalse(copy.isExcludedCountry("IR"));
    }
  }
}
