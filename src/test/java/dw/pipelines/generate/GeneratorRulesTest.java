package dw.pipelines.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorRulesTest {

  @Test
  void buildFormatsAgreeWithTheWarehouseRegexes() {
    List<String> builds = List.of("9.5.3.9.5.3", "10.5.1", "9.5.2.cloud-2024-04-30-1", "9.7.1.14312345678",
        "9.8.0.dev", "9.5.3.9.5", "10.0.0.abc", "9.11.1.123456789", "7.8.100", "10.2.0.cloud-2024-4-30-1",
        "9.5.3.9.5.3.1", "9.7.1.1234567890", "10.5", "100.1.1", "9.5.3.9.5.123", "9.5.2.cloud-2024-04-30-",
        "9.5.2.cloud-2024-04-30-12", "", "1.2.3.", ".1.2.3", "1.2.3.4.5.6.", "9.5.3.cloud.2024");
    for (String b : builds) {
      assertEquals(LocalLogReader.accepted(b), GeneratorRules.isAcceptedBuild(b), b);
    }
  }

  @Test
  void versionPartsAndLabels() {
    assertEquals("9.5", GeneratorRules.majorMinor("9.5.3.9.5.3"));
    assertEquals("9.5.3", GeneratorRules.versionFull("9.5.3.9.5.3"));
    assertEquals("10.5.1", GeneratorRules.versionFull("10.5.1"));
    assertEquals("9.8.0", GeneratorRules.versionFull("9.8.0.dev"));
    assertEquals("E0", GeneratorRules.edition(true));
    assertEquals("TE", GeneratorRules.edition(false));
    assertEquals("Unknown", GeneratorRules.edition(null));
    assertEquals("unknown", GeneratorRules.orUnknown(""));
    assertEquals("ran_unit_tests,custom_build_format,excluded_country",
        GeneratorRules.reasons(GeneratorRules.RAN_UNIT_TESTS | GeneratorRules.CUSTOM_BUILD
            | GeneratorRules.EXCLUDED_COUNTRY));
    assertEquals("", GeneratorRules.reasons(0));
  }
}
