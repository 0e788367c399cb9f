package dw.transforms.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class SecurityPingTest {

  private static SecurityPing.Builder full() {
    return SecurityPing.builder()
        .eventTimeMillis(1_714_954_361_000L) // 2024-05-06T00:12:41Z
        .serverId("wj3drgzdpnf54rxf5d8qd3dqne")
        .rawBuild("9.5.3.9.5.3")
        .enterpriseReady(true)
        .database("postgres")
        .os("linux")
        .registeredUsers(212L)
        .teams(4L)
        .activeUsers(37L)
        .ranUnitTests(false)
        .clientIp("203.0.113.25")
        .edgeLocation("IAD89-C1")
        .requestId("req")
        .geo("US", "United States", "VA", "Virginia", "Ashburn", 14618L)
        .exclusionMask(0);
  }

  @Test
  void builderDerivesVersionEditionAndDay() {
    SecurityPing p = full().build();
    assertEquals("9.5.3", p.versionFull());
    assertEquals(9, p.versionMajor());
    assertEquals(5, p.versionMinor());
    assertEquals(3, p.versionPatch());
    assertEquals("9.5", p.versionMajorMinor());
    assertFalse(p.customBuild());
    assertEquals("E0", p.edition());
    assertEquals(19849, p.logEpochDay()); // 2024-05-06
  }

  @Test
  void logDayOfTimesBefore1970RoundsDown() {
    assertEquals(-1, full().eventTimeMillis(-1).build().logEpochDay());
    assertEquals(0, full().eventTimeMillis(86_399_999L).build().logEpochDay());
  }

  @Test
  void enterpriseReadyFromBeLikeTheSql() {
    assertEquals(Boolean.TRUE, SecurityPing.enterpriseReadyOf("true"));
    assertEquals(Boolean.FALSE, SecurityPing.enterpriseReadyOf("false"));
    assertEquals(Boolean.FALSE, SecurityPing.enterpriseReadyOf("TRUE"));
    assertEquals(Boolean.FALSE, SecurityPing.enterpriseReadyOf(""));
    assertNull(SecurityPing.enterpriseReadyOf(null));
  }

  @Test
  void editionFromEnterpriseReady() {
    assertEquals("E0", SecurityPing.editionOf(true));
    assertEquals("TE", SecurityPing.editionOf(false));
    assertEquals("Unknown", SecurityPing.editionOf(null));
    assertEquals("Unknown", full().enterpriseReady(null).build().edition());
  }

  @Test
  void equalsAndHashCodeCoverTheValues() {
    SecurityPing a = full().build();
    SecurityPing b = full().build();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, full().activeUsers(38L).build());
    assertNotEquals(a, full().rawBuild("9.5.3").build());
    assertNotEquals(a, full().geo("US", "United States", "VA", "Virginia", "Reston", 14618L).build());
    assertNotEquals(a, full().exclusionMask(1).build());
    assertNotEquals(a, full().enterpriseReady(false).build());
    assertNotEquals(a, null);
    assertNotEquals(a, "x");
  }

  @Test
  void toStringShowsFieldsAndReasonCodes() {
    String s = full().exclusionMask(ExclusionReason.mask(ExclusionReason.RESTRICTED_IP)).build()
        .toString();
    assertTrue(s.contains("server_id=wj3drgzdpnf54rxf5d8qd3dqne"), s);
    assertTrue(s.contains("version_full=9.5.3"), s);
    assertTrue(s.contains("edition=E0"), s);
    assertTrue(s.contains("exclusion_reasons=[restricted_ip]"), s);
  }

  @Test
  void toBuilderRoundTrips() {
    SecurityPing a = full().exclusionMask(5).build();
    assertEquals(a, a.toBuilder().build());
    SecurityPing changed = a.toBuilder().geo(null, null, null, null, null, null).build();
    assertNull(changed.countryIso());
    assertEquals(a.serverId(), changed.serverId());
  }

  @Test
  void clearResetsTheBuilder() {
    SecurityPing p = full().clear().build();
    assertEquals(SecurityPing.builder().build(), p);
    assertNull(p.serverId());
    assertTrue(p.customBuild());
    assertNull(p.versionFull());
  }

  @Test
  void reasonHelpers() {
    SecurityPing p =
        full()
            .exclusionMask(
                ExclusionReason.mask(
                    ExclusionReason.RAN_UNIT_TESTS, ExclusionReason.EXCLUDED_COUNTRY))
            .build();
    assertTrue(p.excluded());
    assertTrue(p.has(ExclusionReason.RAN_UNIT_TESTS));
    assertFalse(p.has(ExclusionReason.RESTRICTED_IP));
    assertEquals(java.util.List.of("ran_unit_tests", "excluded_country"), p.exclusionCodes());
  }

  @Test
  void isSerializable() throws Exception {
    SecurityPing a = full().build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(a);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(a, in.readObject());
    }
  }
}
