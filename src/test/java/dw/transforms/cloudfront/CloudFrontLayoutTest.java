package dw.transforms.cloudfront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloudFrontLayoutTest {

  @Test
  void standardLayoutHas33FieldsAtDocumentedPositions() {
    CloudFrontLayout l = CloudFrontLayout.STANDARD;
    assertEquals(33, l.fieldCount());
    assertEquals(0, l.index(CloudFrontField.DATE));
    assertEquals(1, l.index(CloudFrontField.TIME));
    assertEquals(2, l.index(CloudFrontField.EDGE_LOCATION));
    assertEquals(3, l.index(CloudFrontField.SC_BYTES));
    assertEquals(4, l.index(CloudFrontField.CLIENT_IP));
    assertEquals(5, l.index(CloudFrontField.METHOD));
    assertEquals(6, l.index(CloudFrontField.HOST));
    assertEquals(7, l.index(CloudFrontField.URI_STEM));
    assertEquals(8, l.index(CloudFrontField.STATUS));
    assertEquals(10, l.index(CloudFrontField.USER_AGENT));
    assertEquals(11, l.index(CloudFrontField.QUERY));
    assertEquals(14, l.index(CloudFrontField.REQUEST_ID));
    assertEquals(15, l.index(CloudFrontField.HOST_HEADER));
    assertEquals(16, l.requiredFieldCount());
  }

  @Test
  void spaceSeparatedHeaderFromTheDocsEqualsStandard() {
    assertEquals(
        CloudFrontLayout.STANDARD, CloudFrontLayout.fromFieldsHeader(TestLines.FIELDS_HEADER_33));
  }

  @Test
  void tabSeparatedHeaderWithRunsAndTrailingWhitespace() {
    String header =
        "#Fields:\t"
            + String.join(" \t ", CloudFrontLayout.STANDARD_FIELD_NAMES)
            + "  \t\r";
    CloudFrontLayout l = CloudFrontLayout.fromFieldsHeader(header);
    assertEquals(CloudFrontLayout.STANDARD, l);
    assertEquals(CloudFrontLayout.STANDARD_FIELD_NAMES, l.fieldNames());
  }

  @Test
  void twelveFieldLayoutOf2011HasNoOptionalLaterFields() {
    CloudFrontLayout l =
        CloudFrontLayout.fromFieldsHeader(
            "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem"
                + " sc-status cs(Referer) cs(User-Agent) cs-uri-query");
    assertEquals(12, l.fieldCount());
    assertEquals(11, l.index(CloudFrontField.QUERY));
    assertEquals(-1, l.index(CloudFrontField.REQUEST_ID));
    assertEquals(-1, l.index(CloudFrontField.HOST_HEADER));
    assertFalse(l.has(CloudFrontField.REQUEST_ID));
    assertEquals(12, l.requiredFieldCount());
  }

  @Test
  void twentySixFieldLayoutHasRequestIdAndHostHeader() {
    CloudFrontLayout l = TestLines.layout(26);
    assertEquals(26, l.fieldCount());
    assertEquals(14, l.index(CloudFrontField.REQUEST_ID));
    assertEquals(15, l.index(CloudFrontField.HOST_HEADER));
    assertEquals(16, l.requiredFieldCount());
  }

  @ParameterizedTest
  @ValueSource(ints = {12, 23, 24, 26, 31, 33})
  void olderPrefixLayoutsKeepThePositionsOfTheFieldsTheyHave(int n) {
    CloudFrontLayout l = TestLines.layout(n);
    assertEquals(n, l.fieldCount());
    for (CloudFrontField f : CloudFrontField.values()) {
      int std = CloudFrontLayout.STANDARD.index(f);
      assertEquals(std < n ? std : -1, l.index(f), f.name());
    }
  }

  @Test
  void fieldsAreMappedByNameNotByPosition() {
    CloudFrontLayout l =
        CloudFrontLayout.fromFieldsHeader(
            "#Fields: c-ip cs-uri-query x-custom date time cs-method cs-uri-stem cs(User-Agent)");
    assertEquals(0, l.index(CloudFrontField.CLIENT_IP));
    assertEquals(1, l.index(CloudFrontField.QUERY));
    assertEquals(3, l.index(CloudFrontField.DATE));
    assertEquals(7, l.index(CloudFrontField.USER_AGENT));
    assertEquals(-1, l.index(CloudFrontField.STATUS));
    assertEquals(8, l.fieldCount());
  }

  @Test
  void unknownFieldNamesOccupyAPosition() {
    CloudFrontLayout l =
        CloudFrontLayout.fromFieldNames(
            List.of("x-new", "date", "time", "c-ip", "cs-method", "cs-uri-stem", "cs(User-Agent)",
                "cs-uri-query"));
    assertEquals(1, l.index(CloudFrontField.DATE));
    assertEquals("x-new", l.fieldNames().get(0));
  }

  @Test
  void fieldNamesAndPrefixAreMatchedCaseInsensitively() {
    CloudFrontLayout l =
        CloudFrontLayout.fromFieldsHeader(
            "#FIELDS: DATE TIME C-IP CS-METHOD CS-URI-STEM CS(USER-AGENT) CS-URI-QUERY");
    assertEquals(5, l.index(CloudFrontField.USER_AGENT));
  }

  @Test
  void isHeaderIsTrueForLinesStartingWithHash() {
    assertTrue(CloudFrontLayout.isHeader(TestLines.VERSION_HEADER));
    assertTrue(CloudFrontLayout.isHeader(TestLines.FIELDS_HEADER_33));
    assertTrue(CloudFrontLayout.isHeader(new StringBuilder("#anything")));
    assertFalse(CloudFrontLayout.isHeader(TestLines.NORMAL_EARLY));
    assertFalse(CloudFrontLayout.isHeader(""));
    assertFalse(CloudFrontLayout.isHeader(null));
    assertFalse(CloudFrontLayout.isHeader(" #Fields: date"));
  }

  @Test
  void isFieldsHeaderOnlyForFieldsLines() {
    assertTrue(CloudFrontLayout.isFieldsHeader(TestLines.FIELDS_HEADER_33));
    assertTrue(CloudFrontLayout.isFieldsHeader("#fields: date"));
    assertFalse(CloudFrontLayout.isFieldsHeader(TestLines.VERSION_HEADER));
    assertFalse(CloudFrontLayout.isFieldsHeader("#Field"));
    assertFalse(CloudFrontLayout.isFieldsHeader(null));
  }

  @Test
  void rejectsALineThatIsNotAFieldsHeader() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CloudFrontLayout.fromFieldsHeader(TestLines.VERSION_HEADER));
    assertTrue(e.getMessage().contains("not a CloudFront #Fields: header"), e.getMessage());
    assertTrue(e.getMessage().contains("#Version: 1.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CloudFrontLayout.fromFieldsHeader(null));
    assertThrows(
        IllegalArgumentException.class,
        () -> CloudFrontLayout.fromFieldsHeader(TestLines.NORMAL_EARLY));
  }

  @Test
  void rejectsAHeaderWithoutARequiredField() {
    String header = TestLines.FIELDS_HEADER_33.replace(" cs-uri-query", "");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CloudFrontLayout.fromFieldsHeader(header));
    assertTrue(e.getMessage().contains("lacks required field(s) [cs-uri-query]"), e.getMessage());
  }

  @Test
  void rejectsAnEmptyFieldsHeaderNamingAllRequiredFields() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CloudFrontLayout.fromFieldsHeader("#Fields:  "));
    assertTrue(
        e.getMessage()
            .contains("[date, time, c-ip, cs-method, cs-uri-stem, cs(User-Agent), cs-uri-query]"),
        e.getMessage());
  }

  @Test
  void rejectsAMappedFieldNamedTwice() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CloudFrontLayout.fromFieldsHeader(TestLines.FIELDS_HEADER_33 + " c-ip"));
    assertTrue(e.getMessage().contains("'c-ip' twice"), e.getMessage());
  }

  @Test
  void equalsAndHashCodeFollowTheFieldNames() {
    assertEquals(TestLines.layout(26), TestLines.layout(26));
    assertEquals(TestLines.layout(26).hashCode(), TestLines.layout(26).hashCode());
    assertNotEquals(TestLines.layout(26), TestLines.layout(24));
  }

  @Test
  void isSerializable() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(TestLines.layout(26));
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      CloudFrontLayout l = (CloudFrontLayout) in.readObject();
      assertEquals(TestLines.layout(26), l);
      assertEquals(14, l.index(CloudFrontField.REQUEST_ID));
    }
  }

  @Test
  void aBadFieldsHeaderHoldsUntilTheNextGoodOneOrTheNextFile() {
    // the documented fields, then an unknown one: a good header whose layout is not the standard one
    String custom = "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields x-extra";
    CloudFrontLayout.Tracker t = new CloudFrontLayout.Tracker();
    t.startFile();
    assertEquals(CloudFrontLayout.STANDARD, t.layout());
    assertEquals(CloudFrontLayout.Tracker.Kind.HEADER, t.accept("#Version: 1.0"));
    assertEquals(CloudFrontLayout.Tracker.Kind.HEADER, t.accept(custom));
    CloudFrontLayout three = t.layout();
    assertNotEquals(CloudFrontLayout.STANDARD, three);
    assertEquals(CloudFrontLayout.Tracker.Kind.DATA, t.accept("2026-10-01\t00:00:01\t1.2.3.4\t/security\tx"));
    assertEquals(CloudFrontLayout.Tracker.Kind.BAD_HEADER, t.accept("#Fields: date date"));
    assertEquals(CloudFrontLayout.Tracker.Kind.UNDER_BAD_HEADER, t.accept("2026-10-01\t00:00:01"));
    assertEquals(three, t.layout(), "a bad header does not replace the last good layout");
    assertEquals(CloudFrontLayout.Tracker.Kind.HEADER, t.accept(custom));
    assertEquals(CloudFrontLayout.Tracker.Kind.DATA, t.accept("2026-10-01\t00:00:01"));
    t.accept("#Fields: date date");
    t.startFile();
    assertEquals(CloudFrontLayout.Tracker.Kind.DATA, t.accept("2026-10-01\t00:00:01"));
    assertEquals(CloudFrontLayout.STANDARD, t.layout());
  }
}
