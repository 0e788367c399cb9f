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

import java.util.List;
import org.junit.jupiter.api.Test;

class ExclusionReasonTest {

  @Test
  void codesAndBitsAreStable() {
    assertEquals("ran_unit_tests", RAN_UNIT_TESTS.code());
    assertEquals("custom_build_format", CUSTOM_BUILD_FORMAT.code());
    assertEquals("active_users_exceed_registered", ACTIVE_EXCEEDS_REGISTERED.code());
    assertEquals("invalid_server_id", INVALID_SERVER_ID.code());
    assertEquals("restricted_ip", RESTRICTED_IP.code());
    assertEquals("excluded_country", EXCLUDED_COUNTRY.code());
    assertEquals(1, RAN_UNIT_TESTS.bit());
    assertEquals(2, CUSTOM_BUILD_FORMAT.bit());
    assertEquals(4, ACTIVE_EXCEEDS_REGISTERED.bit());
    assertEquals(8, INVALID_SERVER_ID.bit());
    assertEquals(16, RESTRICTED_IP.bit());
    assertEquals(32, EXCLUDED_COUNTRY.bit());
  }

  @Test
  void maskCombinesBits() {
    assertEquals(0, ExclusionReason.mask());
    assertEquals(1 | 32, ExclusionReason.mask(EXCLUDED_COUNTRY, RAN_UNIT_TESTS));
    assertEquals(2, ExclusionReason.mask(CUSTOM_BUILD_FORMAT, CUSTOM_BUILD_FORMAT));
    assertTrue(RESTRICTED_IP.in(ExclusionReason.mask(RESTRICTED_IP)));
    assertFalse(RESTRICTED_IP.in(ExclusionReason.mask(RAN_UNIT_TESTS)));
  }

  @Test
  void codesAndJoinedAreInEnumOrder() {
    int mask = ExclusionReason.mask(EXCLUDED_COUNTRY, RAN_UNIT_TESTS, INVALID_SERVER_ID);
    assertEquals(List.of("ran_unit_tests", "invalid_server_id", "excluded_country"),
        ExclusionReason.codes(mask));
    assertEquals("ran_unit_tests,invalid_server_id,excluded_country", ExclusionReason.joined(mask));
    assertEquals(List.of(), ExclusionReason.codes(0));
    assertEquals("", ExclusionReason.joined(0));
  }

  @Test
  void parseIsTheInverseOfJoinedForEveryMask() {
    for (int mask = 0; mask < 64; mask++) {
      assertEquals(mask, ExclusionReason.parse(ExclusionReason.joined(mask)));
    }
  }

  @Test
  void parseToleratesBlanksOrderAndEmptyItems() {
    assertEquals(
        ExclusionReason.mask(RAN_UNIT_TESTS, RESTRICTED_IP),
        ExclusionReason.parse(" restricted_ip , ,ran_unit_tests,"));
    assertEquals(0, ExclusionReason.parse(null));
    assertEquals(0, ExclusionReason.parse(""));
    assertEquals(0, ExclusionReason.parse(" "));
  }

  @Test
  void parseRejectsUnknownCodes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ExclusionReason.parse("ran_unit_tests,Ran Tests"));
    assertTrue(e.getMessage().contains("'Ran Tests'"), e.getMessage());
  }

  @Test
  void fromCodeFindsEachReason() {
    for (ExclusionReason r : ExclusionReason.values()) {
      assertEquals(r, ExclusionReason.fromCode(r.code()));
    }
  }
}
