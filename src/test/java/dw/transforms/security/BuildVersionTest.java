package dw.transforms.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuildVersionTest {

  @Test
  void sixPartBuildIsAccepted() {
    BuildVersion v = BuildVersion.of("9.5.3.9.5.3");
    assertFalse(v.isCustomBuild());
    assertEquals("9.5.3", v.versionFull());
    assertEquals(9, v.major());
    assertEquals(5, v.minor());
    assertEquals(3, v.patch());
    assertEquals("9.5", v.versionMajorMinor());
    assertEquals("9.5.3.9.5.3", v.build());
  }

  @Test
  void threePartBuildIsAcceptedAndIsItsOwnVersion() {
    String b = "10.5.1";
    BuildVersion v = BuildVersion.of(b);
    assertFalse(v.isCustomBuild());
    assertSame(b, v.versionFull());
    assertEquals("10.5", v.versionMajorMinor());
  }

  @Test
  void cloudBuildIsAccepted() {
    assertFalse(BuildVersion.isCustomBuild("9.5.2.cloud-2024-04-30-1"));
    assertFalse(BuildVersion.isCustomBuild("9.5.2.cloud-2024-04-30-12345"));
    assertEquals("9.5.2", BuildVersion.versionFull("9.5.2.cloud-2024-04-30-1"));
  }

  @Test
  void newBuildFormatWithTenOrMoreDigitsIsAccepted() {
    assertFalse(BuildVersion.isCustomBuild("9.7.1.14312345678"));
    assertFalse(BuildVersion.isCustomBuild("9.7.1.1234567890"));
    assertEquals(1, BuildVersion.of("9.7.1.14312345678").patch());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "9.8.0.dev", // developer build
        "9.5.3.9.5", // five parts
        "100.1.1", // three-digit major
        "9.5.3.cloud-2024-04-30", // cloud without -N
        "9.5.3.123456789", // nine digits
        "9.5.3.9.5.3.1", // seven parts
        "9.5.3.9.5.100",
        "9.5.3.", // trailing dot
        "9..3",
        "9.5",
        "9.5.3.cloud-24-04-30-1",
        "9.5.3.cloud-2024-04-30-",
        "9.5.3.cloud-2024-04-30-1a",
        "9.5.3.cloud.2024-04-30-1",
        "9.5.3.ee_live",
        "v9.5.3",
        " 9.5.3",
        "9.5.3 ",
        "9.5.3-rc1",
        "\u0669.5.3" // Arabic-Indic digit nine: not an ASCII digit
      })
  void customBuilds(String b) {
    assertTrue(BuildVersion.isCustomBuild(b), b);
    assertTrue(BuildVersion.of(b).isCustomBuild(), b);
  }

  @Test
  void emptyAndNullBuildAreCustomWithoutVersion() {
    for (String b : new String[] {"", null}) {
      BuildVersion v = BuildVersion.of(b);
      assertTrue(v.isCustomBuild());
      assertNull(v.versionFull());
      assertNull(v.major());
      assertNull(v.minor());
      assertNull(v.patch());
      assertNull(v.versionMajorMinor());
    }
  }

  @Test
  void versionFullMirrorsSplitPartWithEmptyMissingParts() {
    assertEquals("9.5.", BuildVersion.versionFull("9.5"));
    assertEquals("9..", BuildVersion.versionFull("9"));
    assertEquals("9.8.0", BuildVersion.versionFull("9.8.0.dev"));
    assertEquals("..", BuildVersion.versionFull("..."));
    assertEquals("dev..", BuildVersion.versionFull("dev"));
  }

  @Test
  void nonNumericPartsAreNull() {
    BuildVersion v = BuildVersion.of("9.x.3");
    assertEquals(9, v.major());
    assertNull(v.minor());
    assertEquals(3, v.patch());
    assertNull(v.versionMajorMinor());
    assertNull(BuildVersion.of("v9.5.3").major());
    assertNull(BuildVersion.of("9.5.3-rc1").patch());
    assertEquals(0, BuildVersion.of("9.8.0.dev").patch());
  }

  @Test
  void missingPartsAreNull() {
    BuildVersion v = BuildVersion.of("9.5");
    assertEquals(9, v.major());
    assertEquals(5, v.minor());
    assertNull(v.patch());
    assertEquals("9.5", v.versionMajorMinor());
  }

  @Test
  void numericPartsLikeTryToDecimal() {
    assertEquals(9, BuildVersion.numericPart("09.5.3", 1));
    assertEquals(-1, BuildVersion.numericPart("-1.5.3", 1));
    assertEquals(1, BuildVersion.numericPart("+1.5.3", 1));
    assertNull(BuildVersion.numericPart("-.5.3", 1));
    assertNull(BuildVersion.numericPart("99999999999.1.1", 1));
    assertEquals(Integer.MAX_VALUE, BuildVersion.numericPart("2147483647.1.1", 1));
    assertEquals(Integer.MIN_VALUE, BuildVersion.numericPart("-2147483648.1.1", 1));
    assertNull(BuildVersion.numericPart("2147483648.1.1", 1));
    assertNull(BuildVersion.numericPart("9.5.3", 0));
    assertNull(BuildVersion.numericPart(null, 1));
  }

  @Test
  void equalsFollowsTheRawBuild() {
    assertEquals(BuildVersion.of("9.5.3"), BuildVersion.of("9.5.3"));
    assertEquals(BuildVersion.of(null), BuildVersion.of(null));
    assertEquals(BuildVersion.of("9.5.3").hashCode(), BuildVersion.of("9.5.3").hashCode());
    assertTrue(BuildVersion.of("9.8.0.dev").toString().contains("custom=true"));
  }
}
