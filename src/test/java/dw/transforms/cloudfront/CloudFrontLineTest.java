package dw.transforms.cloudfront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloudFrontLineTest {
  private final CloudFrontLine line = new CloudFrontLine();
  private static final CloudFrontLayout STD = CloudFrontLayout.STANDARD;

  private static long millis(String dateTime) {
    return LocalDateTime.parse(dateTime).toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  @Test
  void readsAllNamedFieldsOfADocLine() {
    assertTrue(line.reset(TestLines.NORMAL_EARLY, STD));
    assertTrue(line.isOk());
    assertNull(line.failureReason());
    assertEquals("2024-05-06", line.date());
    assertEquals("00:12:41", line.time());
    assertEquals("IAD89-C1", line.edgeLocation());
    assertEquals("203.0.113.25", line.clientIp());
    assertEquals("GET", line.method());
    assertEquals("d2hxq6v3example.cloudfront.net", line.host());
    assertEquals("/security", line.uriStem());
    assertEquals("200", line.status());
    assertEquals("Go-http-client/2.0", line.userAgent());
    assertEquals(
        "auc=37&b=9.5.3.9.5.3&be=true&db=postgres&id=wj3drgzdpnf54rxf5d8qd3dqne&os=linux&tc=4&uc=212&ut=0",
        line.query());
    assertEquals("6IRRlaG5uBxnm92y-JFXsUmDjCiWue3pewPl6knzLv83-Y2CXcZq==", line.requestId());
    assertEquals("securityupdatecheck.mattermost.com", line.hostHeader());
    assertEquals(493, line.bytesSent());
    assertEquals(200, line.statusCode());
    assertEquals(TestLines.NORMAL_EARLY, line.raw());
    assertEquals(STD, line.layout());
  }

  @Test
  void dashMeansNull() {
    assertTrue(line.reset(TestLines.BULLETIN, STD));
    assertNull(line.query());
    assertFalse(line.isPresent(CloudFrontField.QUERY));
    assertEquals(-1, line.start(CloudFrontField.QUERY));
    assertEquals(-1, line.end(CloudFrontField.QUERY));

    assertTrue(line.reset(TestLines.ping().clientIp("-").set("x-edge-request-id", "-").build(), STD));
    assertNull(line.clientIp());
    assertNull(line.requestId());
  }

  @Test
  void emptyFieldIsNull() {
    assertTrue(line.reset(TestLines.ping().userAgent("").build(), STD));
    assertNull(line.userAgent());
    assertFalse(line.userAgentStartsWith("Go"));
  }

  @Test
  void fieldsAbsentFromTheLayoutAreNull() {
    CloudFrontLayout l12 = TestLines.layout(12);
    assertTrue(line.reset(TestLines.ping().build(l12), l12));
    assertNull(line.requestId());
    assertNull(line.hostHeader());
    assertFalse(line.isPresent(CloudFrontField.REQUEST_ID));
    assertFalse(line.fieldIs(CloudFrontField.REQUEST_ID, "-"));
  }

  @Test
  void twelveFieldLineOf2011() {
    CloudFrontLayout l12 = TestLines.layout(12);
    String raw = TestLines.ping().build(l12);
    assertEquals(11, raw.chars().filter(c -> c == '\t').count());
    assertTrue(line.reset(raw, l12));
    assertEquals("203.0.113.25", line.clientIp());
    assertEquals("IAD89-C1", line.edgeLocation());
    assertTrue(line.query().endsWith("uc=212&ut=0"));
  }

  @Test
  void twentySixFieldLine() {
    CloudFrontLayout l26 = TestLines.layout(26);
    String raw = TestLines.ping().build(l26);
    assertTrue(line.reset(raw, l26));
    assertEquals("6IRRlaG5uBxnm92y-JFXsUmDjCiWue3pewPl6knzLv83-Y2CXcZq==", line.requestId());
    assertTrue(line.queryContains("id=wj3drgzdpnf54rxf5d8qd3dqne"));
  }

  @Test
  void strayTrailingTabIsTolerated() {
    assertTrue(line.reset(TestLines.NORMAL_EARLY + "\t", STD));
    assertEquals("/security", line.uriStem());

    CloudFrontLayout l12 = TestLines.layout(12);
    assertTrue(line.reset(TestLines.ping().build(l12) + "\t", l12));
    assertTrue(line.query().endsWith("&ut=0"));
  }

  @Test
  void extraTrailingFieldsAreIgnored() {
    assertTrue(line.reset(TestLines.NORMAL_EARLY + "\tx\ty\tz\t-", STD));
    assertEquals("Go-http-client/2.0", line.userAgent());
  }

  @Test
  void tailCutAfterTheLastFieldReadIsAccepted() {
    // 31-field "truncated" lines and anything else that still has x-host-header (field 16).
    String[] f = TestLines.NORMAL_EARLY.split("\t");
    String sixteen = String.join("\t", java.util.Arrays.copyOf(f, 16));
    assertTrue(line.reset(sixteen, STD));
    assertEquals("securityupdatecheck.mattermost.com", line.hostHeader());
  }

  @Test
  void tooShortLineIsRejected() {
    String[] f = TestLines.NORMAL_EARLY.split("\t");
    String fifteen = String.join("\t", java.util.Arrays.copyOf(f, 15));
    assertFalse(line.reset(fifteen, STD));
    assertFalse(line.isOk());
    assertEquals("too_few_fields", line.failureReason());
    assertFalse(line.reset("garbage without tabs", STD));
    assertEquals(CloudFrontLine.TOO_FEW_FIELDS, line.failureReason());
  }

  @Test
  void emptyOrBlankLineIsRejectedAsEmpty() {
    assertFalse(line.reset("", STD));
    assertEquals("empty_line", line.failureReason());
    assertFalse(line.reset(" \t ", STD));
    assertEquals(CloudFrontLine.EMPTY_LINE, line.failureReason());
    assertFalse(line.reset(null, STD));
    assertEquals(CloudFrontLine.EMPTY_LINE, line.failureReason());
  }

  @Test
  void trailingCarriageReturnIsNotPartOfTheLastField() {
    CloudFrontLayout l12 = TestLines.layout(12);
    assertTrue(line.reset(TestLines.ping().build(l12) + "\r", l12));
    assertTrue(line.query().endsWith("&ut=0"));
  }

  @Test
  void ipv6ClientIp() {
    assertTrue(line.reset(TestLines.ping().clientIp("2001:db8::1").build(), STD));
    assertEquals("2001:db8::1", line.clientIp());
  }

  @Test
  void status000WhenTheViewerClosedTheConnection() {
    assertTrue(line.reset(TestLines.ping().status("000").build(), STD));
    assertEquals("000", line.status());
    assertEquals(0, line.statusCode());
  }

  @Test
  void malformedOrAbsentNumbersGiveMinusOne() {
    assertTrue(line.reset(TestLines.ping().status("2x0").set("sc-bytes", "-").build(), STD));
    assertEquals(-1, line.statusCode());
    assertEquals(-1, line.bytesSent());
    assertTrue(line.reset(TestLines.ping().status("2000").build(), STD));
    assertEquals(-1, line.statusCode());
  }

  @Test
  void doubleEncodedUserAgentIsRawUntilDecoded() {
    String ua = "Mozilla/5.0%2520(X11;%2520Linux%2520x86_64)";
    assertTrue(line.reset(TestLines.ping().userAgent(ua).build(), STD));
    assertEquals(ua, line.userAgent());
    assertEquals("Mozilla/5.0 (X11; Linux x86_64)", UrlDecoding.decode(line.userAgent()));
  }

  @Test
  void inPlaceComparisonsMatchWholeFieldsOnly() {
    assertTrue(line.reset(TestLines.NORMAL_EARLY, STD));
    assertTrue(line.methodIs("GET"));
    assertFalse(line.methodIs("GE"));
    assertFalse(line.methodIs("GETX"));
    assertFalse(line.methodIs("POST"));
    assertTrue(line.uriStemIs("/security"));
    assertFalse(line.uriStemIs("/securit"));
    assertFalse(line.uriStemIs("/security/"));
    assertTrue(line.userAgentStartsWith("Go-http-client/"));
    assertFalse(line.userAgentStartsWith("Go-http-client/2.0x"));
    assertTrue(line.queryContains("ut=0"));
    assertTrue(line.queryContains("auc=37"));
  }

  @Test
  void queryContainsDoesNotLookIntoTheNextField() {
    assertTrue(line.reset(TestLines.NORMAL_EARLY, STD));
    assertFalse(line.queryContains("Miss")); // in x-edge-result-type, after the query
    assertFalse(line.queryContains("ut=0\t-")); // crosses the field end
    assertFalse(line.queryContains("Go-http")); // before the query
  }

  @Test
  void eventTimeIsUtcEpochMillis() {
    assertTrue(line.reset(TestLines.NORMAL_EARLY, STD));
    assertEquals(millis("2024-05-06T00:12:41"), line.eventTimeMillis());
    assertEquals(LocalDate.of(2024, 5, 6).toEpochDay(), line.epochDay());
    assertTrue(line.reset(TestLines.NORMAL_LATEST, STD));
    assertEquals(millis("2024-05-06T23:59:59"), line.eventTimeMillis());
    assertEquals(LocalDate.of(2024, 5, 6).toEpochDay(), line.epochDay());
  }

  @Test
  void leapDaysAreValidatedByYear() {
    assertTrue(line.reset(TestLines.ping().date("2024-02-29").build(), STD));
    assertEquals(millis("2024-02-29T00:12:41"), line.eventTimeMillis());
    assertTrue(line.reset(TestLines.ping().date("2000-02-29").build(), STD));
    assertEquals(LocalDate.of(2000, 2, 29).toEpochDay(), line.epochDay());
    assertTrue(line.reset(TestLines.ping().date("2023-02-29").build(), STD));
    assertEquals(Long.MIN_VALUE, line.eventTimeMillis());
    assertTrue(line.reset(TestLines.ping().date("2100-02-29").build(), STD));
    assertEquals(Integer.MIN_VALUE, line.epochDay());
  }

  @Test
  void epochDayMatchesJavaTimeForEveryDayOf1899To2101() {
    StringBuilder sb = new StringBuilder();
    CloudFrontLayout l12 = TestLines.layout(12);
    for (LocalDate d = LocalDate.of(1899, 1, 1); d.getYear() < 2102; d = d.plusDays(1)) {
      sb.setLength(0);
      sb.append(d).append("\t23:59:59\tX\t1\t1.2.3.4\tGET\th\t/\t200\t-\tua\t-");
      assertTrue(line.reset(sb.toString(), l12));
      assertEquals(d.toEpochDay(), line.epochDay(), d.toString());
      assertEquals(
          d.atTime(23, 59, 59).toInstant(ZoneOffset.UTC).toEpochMilli(), line.eventTimeMillis());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2024-5-06", "2024/05/06", "2024-13-01", "2024-00-10", "2024-04-31", "2024-05-00",
        "24-05-06", "2024-05-06x", "20x4-05-06", "-", "", "2024-05-0６"
      })
  void badDateGivesMinValue(String date) {
    assertTrue(line.reset(TestLines.ping().date(date).build(), STD));
    assertEquals(Long.MIN_VALUE, line.eventTimeMillis());
    assertEquals(Integer.MIN_VALUE, line.epochDay());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"24:00:00", "12:60:00", "12:00:60", "12:00", "12:00:00.5", "ab:cd:ef", "12-00-00",
          "-", "1:00:00"})
  void badTimeGivesMinValue(String time) {
    assertTrue(line.reset(TestLines.ping().time(time).build(), STD));
    assertEquals(Long.MIN_VALUE, line.eventTimeMillis());
    assertEquals(Integer.MIN_VALUE, line.epochDay());
  }

  @Test
  void resetReusesTheInstanceWithoutLeakingState() {
    assertTrue(line.reset(TestLines.ping().date("2023-02-29").build(), STD));
    assertEquals(Long.MIN_VALUE, line.eventTimeMillis());
    CloudFrontLayout l12 = TestLines.layout(12);
    assertTrue(line.reset(TestLines.ping().build(l12), l12));
    assertEquals(millis("2024-05-06T00:12:41"), line.eventTimeMillis());
    assertNull(line.requestId());
    assertFalse(line.reset("short\tline", STD));
    assertTrue(line.reset(TestLines.NEW_BUILD_FORMAT, STD));
    assertNull(line.failureReason());
    assertEquals("198.51.100.77", line.clientIp());
    assertEquals("6PbDDUYArYnOzoUP9KdQJEX9ScuACT5iLiktNrfzo9cloJnOCHoK==", line.requestId());
  }

  @Test
  void layoutWithMoreMappedFieldsThanTheInitialArraysGrows() {
    StringBuilder header = new StringBuilder("#Fields:");
    StringBuilder raw = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      header.append(" x").append(i);
      raw.append('v').append(i).append('\t');
    }
    header.append(" date time c-ip cs-method cs-uri-stem cs(User-Agent) cs-uri-query");
    raw.append("2024-05-06\t00:00:01\t192.0.2.1\tGET\t/security\tGo-http-client/1.1\tid=x");
    CloudFrontLayout wide = CloudFrontLayout.fromFieldsHeader(header.toString());
    assertTrue(line.reset(raw.toString(), wide));
    assertEquals("id=x", line.query());
    assertEquals(millis("2024-05-06T00:00:01"), line.eventTimeMillis());
  }
}
