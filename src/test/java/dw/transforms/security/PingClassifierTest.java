package dw.transforms.security;

import static dw.transforms.security.ExclusionReason.ACTIVE_EXCEEDS_REGISTERED;
import static dw.transforms.security.ExclusionReason.CUSTOM_BUILD_FORMAT;
import static dw.transforms.security.ExclusionReason.RAN_UNIT_TESTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpPseudonymizer;
import dw.transforms.cloudfront.CloudFrontLayout;
import dw.transforms.cloudfront.CloudFrontLine;
import dw.transforms.cloudfront.TestLines;
import dw.transforms.security.PingClassifier.Outcome;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PingClassifierTest {
  private static final CloudFrontLayout STD = CloudFrontLayout.STANDARD;
  private static final int MAY_6 = (int) LocalDate.of(2024, 5, 6).toEpochDay();

  private final PingClassifier classifier = new PingClassifier(ExclusionRules.DEFAULT);
  private final CloudFrontLine line = new CloudFrontLine();

  private Outcome classify(String raw) {
    line.reset(raw, STD);
    return classifier.classify(line);
  }

  private SecurityPing ping(String raw, String countryIso) {
    assertEquals(Outcome.PING, classify(raw), () -> String.valueOf(classifier.deadReason()));
    return classifier.complete(countryIso, null, null, null, null, null);
  }

  private static long millis(String dateTime) {
    return LocalDateTime.parse(dateTime).toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  private void assertFiltered(FilterReason reason, String raw) {
    assertEquals(Outcome.FILTERED, classify(raw));
    assertEquals(reason, classifier.filterReason());
    assertNull(classifier.deadReason());
  }

  private void assertDead(String reason, String raw) {
    assertEquals(Outcome.DEAD, classify(raw));
    assertEquals(reason, classifier.deadReason());
    assertNull(classifier.filterReason());
  }

  // ------------------------------------------------ the eight example lines of §7.1

  @Test
  void docLine1NormalServerIsKeptWithoutExclusions() {
    SecurityPing p = ping(TestLines.NORMAL_EARLY, "US");
    assertEquals(millis("2024-05-06T00:12:41"), p.eventTimeMillis());
    assertEquals(MAY_6, p.logEpochDay());
    assertEquals("wj3drgzdpnf54rxf5d8qd3dqne", p.serverId());
    assertEquals("9.5.3.9.5.3", p.build());
    assertEquals("9.5.3", p.versionFull());
    assertEquals(9, p.versionMajor());
    assertEquals(5, p.versionMinor());
    assertEquals(3, p.versionPatch());
    assertEquals("9.5", p.versionMajorMinor());
    assertFalse(p.customBuild());
    assertEquals(Boolean.TRUE, p.enterpriseReady());
    assertEquals("E0", p.edition());
    assertEquals("postgres", p.database());
    assertEquals("linux", p.os());
    assertEquals(212L, p.registeredUsers());
    assertEquals(4L, p.teams());
    assertEquals(37L, p.activeUsers());
    assertFalse(p.ranUnitTests());
    assertEquals("203.0.113.25", p.clientIp());
    assertEquals("IAD89-C1", p.edgeLocation());
    assertEquals("6IRRlaG5uBxnm92y-JFXsUmDjCiWue3pewPl6knzLv83-Y2CXcZq==", p.requestId());
    assertEquals("US", p.countryIso());
    assertEquals(0, p.exclusionMask());
    assertFalse(p.excluded());
  }

  @Test
  void docLine2NewBuildFormatIsKept() {
    SecurityPing p = ping(TestLines.NEW_BUILD_FORMAT, "DE");
    assertEquals("9.7.1", p.versionFull());
    assertFalse(p.customBuild());
    assertEquals(1204L, p.activeUsers());
    assertEquals(5120L, p.registeredUsers());
    assertEquals(0, p.exclusionMask());
  }

  @Test
  void docLine3WindowsMysqlTeamEditionIsKept() {
    SecurityPing p = ping(TestLines.WINDOWS_MYSQL_TE, "JP");
    assertEquals(Boolean.FALSE, p.enterpriseReady());
    assertEquals("TE", p.edition());
    assertEquals("mysql", p.database());
    assertEquals("windows", p.os());
    assertEquals("7.8.15", p.versionFull());
    assertEquals(0L, p.activeUsers());
    assertEquals(0, p.exclusionMask());
  }

  @Test
  void docLine4DevBuildWithUnitTestsIsKeptButExcludedForBothReasons() {
    SecurityPing p = ping(TestLines.DEV_BUILD_UNIT_TESTS, "US");
    assertTrue(p.ranUnitTests());
    assertTrue(p.customBuild());
    assertEquals("9.8.0", p.versionFull());
    assertEquals(ExclusionReason.mask(RAN_UNIT_TESTS, CUSTOM_BUILD_FORMAT), p.exclusionMask());
    assertEquals(List.of("ran_unit_tests", "custom_build_format"), p.exclusionCodes());
  }

  @Test
  void docLine5CloudBuildIsAnAcceptedFormat() {
    SecurityPing p = ping(TestLines.CLOUD_BUILD, "BR");
    assertFalse(p.customBuild());
    assertFalse(p.has(CUSTOM_BUILD_FORMAT));
    assertEquals("9.5.2", p.versionFull());
    // The doc only comments on the build format, but this example line also has auc=15 > uc=9,
    // so the active-users rule excludes it.
    assertEquals(15L, p.activeUsers());
    assertEquals(9L, p.registeredUsers());
    assertEquals(ACTIVE_EXCEEDS_REGISTERED.bit(), p.exclusionMask());
  }

  @Test
  void docLine6IsTheSameServerLaterThatDay() {
    SecurityPing first = ping(TestLines.NORMAL_EARLY, "US");
    SecurityPing latest = ping(TestLines.NORMAL_LATEST, "US");
    assertEquals(first.serverId(), latest.serverId());
    assertEquals(first.logEpochDay(), latest.logEpochDay());
    assertTrue(latest.eventTimeMillis() > first.eventTimeMillis());
    assertEquals(41L, latest.activeUsers());
    assertEquals(millis("2024-05-06T23:59:59"), latest.eventTimeMillis());
    assertNotEquals(first, latest);
  }

  @Test
  void docLine7BulletinFetchIsFiltered() {
    assertFiltered(FilterReason.NOT_SECURITY_PATH, TestLines.BULLETIN);
    assertEquals("not_security_path", classifier.filterReason().code());
  }

  @Test
  void docLine8ActiveExceedingRegisteredIsKeptButExcluded() {
    SecurityPing p = ping(TestLines.ACTIVE_EXCEEDS_REGISTERED, "US");
    assertEquals(900L, p.activeUsers());
    assertEquals(40L, p.registeredUsers());
    assertEquals(ACTIVE_EXCEEDS_REGISTERED.bit(), p.exclusionMask());
    assertTrue(p.has(ACTIVE_EXCEEDS_REGISTERED));
  }

  @Test
  void wholeExampleFileWithHeadersGivesSevenPingsAndOneFilteredLine() {
    List<String> file = new ArrayList<>();
    file.add(TestLines.VERSION_HEADER);
    file.add(TestLines.FIELDS_HEADER_33);
    file.addAll(TestLines.DOC_LINES);

    CloudFrontLayout layout = CloudFrontLayout.STANDARD;
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    List<SecurityPing> pings = new ArrayList<>();
    int headers = 0;
    for (String raw : file) {
      if (CloudFrontLayout.isHeader(raw)) {
        headers++;
        if (CloudFrontLayout.isFieldsHeader(raw)) {
          layout = CloudFrontLayout.fromFieldsHeader(raw);
        }
        continue;
      }
      line.reset(raw, layout);
      Outcome o = classifier.classify(line);
      counts.merge(o, 1, Integer::sum);
      if (o == Outcome.PING) {
        pings.add(classifier.complete());
      }
    }
    assertEquals(2, headers);
    assertEquals(7, counts.get(Outcome.PING));
    assertEquals(1, counts.get(Outcome.FILTERED));
    assertNull(counts.get(Outcome.DEAD));
    // lines 4 (tests + dev build), 5 (auc 15 > uc 9) and 8 (auc 900 > uc 40)
    assertEquals(3, pings.stream().filter(SecurityPing::excluded).count());
  }

  // ------------------------------------------------ filter reasons

  @Test
  void notGet() {
    assertFiltered(FilterReason.NOT_GET, TestLines.ping().method("POST").build());
    assertFiltered(FilterReason.NOT_GET, TestLines.ping().method("HEAD").build());
    assertEquals("not_get", FilterReason.NOT_GET.code());
  }

  @Test
  void notGoClient() {
    assertFiltered(FilterReason.NOT_GO_CLIENT, TestLines.ping().userAgent("curl/7.81.0").build());
    assertFiltered(
        FilterReason.NOT_GO_CLIENT, TestLines.ping().userAgent("go-http-client/1.1").build());
    assertFiltered(FilterReason.NOT_GO_CLIENT, TestLines.ping().userAgent("Go-http-client").build());
    assertFiltered(FilterReason.NOT_GO_CLIENT, TestLines.ping().userAgent("-").build());
    assertEquals("not_go_client", FilterReason.NOT_GO_CLIENT.code());
  }

  @Test
  void testQueryWithBumpRelease() {
    assertFiltered(
        FilterReason.TEST_QUERY,
        TestLines.ping().query("auc=1&b=BUMP_RELEASE&id=wj3drgzdpnf54rxf5d8qd3dqne").build());
    assertEquals("test_query", FilterReason.TEST_QUERY.code());
  }

  @Test
  void testQueryWithPlyr1() {
    assertFiltered(
        FilterReason.TEST_QUERY,
        TestLines.ping().query("id=wj3drgzdpnf54rxf5d8qd3dqne&os=plyr-1").build());
  }

  @Test
  void missingServerId() {
    assertFiltered(
        FilterReason.MISSING_SERVER_ID, TestLines.ping().query("auc=1&b=9.5.3&uc=2").build());
    assertFiltered(FilterReason.MISSING_SERVER_ID, TestLines.ping().query("-").build());
    assertEquals("missing_server_id", FilterReason.MISSING_SERVER_ID.code());
  }

  @Test
  void emptyServerIdIsMissing() {
    assertFiltered(FilterReason.MISSING_SERVER_ID, TestLines.ping().query("id=&b=garbage").build());
    assertFiltered(FilterReason.MISSING_SERVER_ID, TestLines.ping().query("id&id=x").build());
  }

  @Test
  void outsideDateRange() {
    PingClassifier ranged = new PingClassifier(ExclusionRules.DEFAULT, MAY_6 + 1, MAY_6 + 3);
    assertEquals(Outcome.FILTERED, ranged.classify(TestLines.NORMAL_EARLY, STD));
    assertEquals(FilterReason.OUTSIDE_DATE_RANGE, ranged.filterReason());
    String after = TestLines.ping().date("2024-05-10").build();
    assertEquals(Outcome.FILTERED, ranged.classify(after, STD));
    assertEquals("outside_date_range", ranged.filterReason().code());
  }

  @Test
  void dateRangeBoundsAreInclusive() {
    PingClassifier ranged = new PingClassifier(ExclusionRules.DEFAULT, MAY_6, MAY_6);
    assertEquals(Outcome.PING, ranged.classify(TestLines.NORMAL_EARLY, STD));
    assertEquals(Outcome.PING, ranged.classify(TestLines.NORMAL_LATEST, STD));
    assertEquals(
        Outcome.FILTERED, ranged.classify(TestLines.ping().date("2024-05-07").time("00:00:00").build(), STD));
  }

  @Test
  void filtersComeBeforeTheDateRange() {
    PingClassifier ranged = new PingClassifier(ExclusionRules.DEFAULT, 0, 1);
    assertEquals(Outcome.FILTERED, ranged.classify(TestLines.BULLETIN, STD));
    assertEquals(FilterReason.NOT_SECURITY_PATH, ranged.filterReason());
  }

  @Test
  void dateRangeComesBeforeQueryDecoding() {
    PingClassifier ranged = new PingClassifier(ExclusionRules.DEFAULT, 0, 1);
    String badNumber = TestLines.ping().query("auc=x&id=wj3drgzdpnf54rxf5d8qd3dqne").build();
    assertEquals(Outcome.FILTERED, ranged.classify(badNumber, STD));
    assertEquals(FilterReason.OUTSIDE_DATE_RANGE, ranged.filterReason());
  }

  @Test
  void keepRuleIsCheckedInOrderPathMethodAgentQuery() {
    assertFiltered(
        FilterReason.NOT_SECURITY_PATH,
        TestLines.ping().uriStem("/").method("POST").userAgent("curl").build());
    assertFiltered(
        FilterReason.NOT_GET,
        TestLines.ping().method("POST").userAgent("curl").query("BUMP_RELEASE").build());
    assertFiltered(
        FilterReason.NOT_GO_CLIENT, TestLines.ping().userAgent("curl").query("BUMP_RELEASE").build());
  }

  @Test
  void uriStemMustBeExactlySecurity() {
    assertFiltered(FilterReason.NOT_SECURITY_PATH, TestLines.ping().uriStem("/security/").build());
    assertFiltered(FilterReason.NOT_SECURITY_PATH, TestLines.ping().uriStem("/Security").build());
    assertFiltered(FilterReason.NOT_SECURITY_PATH, TestLines.ping().uriStem("/favicon.ico").build());
  }

  // ------------------------------------------------ dead reasons

  @Test
  void tooFewFieldsIsDead() {
    assertDead("too_few_fields", "2024-05-06\t00:12:41\tIAD89-C1\t493");
  }

  @Test
  void emptyLineIsDead() {
    assertDead("empty_line", "");
  }

  @Test
  void badTimestampIsDead() {
    assertDead("bad_timestamp", TestLines.ping().date("2024-02-30").build());
    assertDead("bad_timestamp", TestLines.ping().time("25:00:00").build());
  }

  @Test
  void badTimestampIsDeadEvenForOtherwiseFilteredLines() {
    assertDead("bad_timestamp", TestLines.ping().uriStem("/bulletins/x").date("-").build());
  }

  @Test
  void badNumbersAreDead() {
    String id = "&id=wj3drgzdpnf54rxf5d8qd3dqne";
    assertDead("bad_number_auc", TestLines.ping().query("auc=many" + id).build());
    assertDead("bad_number_uc", TestLines.ping().query("uc=1e3" + id).build());
    assertDead("bad_number_tc", TestLines.ping().query("tc=%20" + id).build());
    assertEquals(PingClassifier.DEAD_BAD_NUMBER_TC, classifier.deadReason());
  }

  @Test
  void missingServerIdWinsOverABadNumber() {
    assertFiltered(FilterReason.MISSING_SERVER_ID, TestLines.ping().query("auc=x&b=1").build());
  }

  // ------------------------------------------------ layouts and field edge cases

  @Test
  void pingFromA26FieldLayout() {
    CloudFrontLayout l26 = TestLines.layout(26);
    assertEquals(Outcome.PING, classifier.classify(TestLines.ping().build(l26), l26));
    SecurityPing p = classifier.complete();
    assertEquals("wj3drgzdpnf54rxf5d8qd3dqne", p.serverId());
    assertEquals("6IRRlaG5uBxnm92y-JFXsUmDjCiWue3pewPl6knzLv83-Y2CXcZq==", p.requestId());
  }

  @Test
  void pingFromA12FieldLayoutHasNoRequestId() {
    CloudFrontLayout l12 = TestLines.layout(12);
    assertEquals(Outcome.PING, classifier.classify(TestLines.ping().build(l12), l12));
    SecurityPing p = classifier.complete();
    assertNull(p.requestId());
    assertEquals("IAD89-C1", p.edgeLocation());
    assertEquals(37L, p.activeUsers());
  }

  @Test
  void pingWithAStrayTrailingTab() {
    SecurityPing p = ping(TestLines.NORMAL_EARLY + "\t", null);
    assertEquals("wj3drgzdpnf54rxf5d8qd3dqne", p.serverId());
  }

  @Test
  void ipv6ClientIpIsPassedToTheGeoLookup() {
    assertEquals(
        Outcome.PING, classify(TestLines.ping().clientIp("2001:db8::1").build()));
    assertEquals("2001:db8::1", classifier.clientIp());
    assertEquals("2001:db8::1", classifier.pending().clientIp());
    assertEquals("2001:db8::1", classifier.complete().clientIp());
  }

  @Test
  void withAPolicyThePingCarriesTheHashFingerprintAndNetworkButNotTheAddress() {
    IpPseudonymizer keyed = new IpPseudonymizer(new byte[32]);
    PingClassifier hashing = new PingClassifier(ExclusionRules.of("2001:db8::1", "")).clientIps(
        new ClientIpPolicy(keyed, true, false));
    assertEquals(Outcome.PING, hashing.classify(TestLines.ping().clientIp("2001:DB8:0::1").build(), STD));
    assertEquals("2001:DB8:0::1", hashing.clientIp(), "for the GeoIP lookup");
    SecurityPing p = hashing.complete();
    assertNull(p.clientIp());
    assertEquals(keyed.hash("2001:db8::1"), p.clientIpHash());
    assertEquals(IpPseudonymizer.fingerprint(p.clientIpHash()), p.clientIpFingerprint());
    assertEquals("2001:db8::/48", p.clientNetwork());
    assertTrue(p.has(ExclusionReason.RESTRICTED_IP), "the rules still see the address");
    assertFalse(p.toString().contains("2001:DB8"), p.toString());
    // the next line's address, and a missing one
    assertEquals(Outcome.PING, hashing.classify(TestLines.ping().clientIp("192.0.2.5").build(), STD));
    assertEquals(keyed.hash("192.0.2.5"), hashing.complete().clientIpHash());
    assertEquals(Outcome.PING, hashing.classify(TestLines.ping().clientIp("-").build(), STD));
    SecurityPing none = hashing.complete();
    assertNull(none.clientIpHash());
    assertNull(none.clientNetwork());
    // --storeClientIpInClear keeps the address as read
    PingClassifier clear = new PingClassifier(ExclusionRules.DEFAULT).clientIps(new ClientIpPolicy(keyed, false, true));
    assertEquals(Outcome.PING, clear.classify(TestLines.ping().clientIp("192.0.2.5").build(), STD));
    SecurityPing c = clear.complete();
    assertEquals("192.0.2.5", c.clientIp());
    assertEquals(keyed.hash("192.0.2.5"), c.clientIpHash());
    assertNull(c.clientNetwork());
  }

  @Test
  void dashClientIpGivesAPingWithoutIp() {
    SecurityPing p = ping(TestLines.ping().clientIp("-").build(), null);
    assertNull(p.clientIp());
    assertFalse(p.has(ExclusionReason.RESTRICTED_IP));
  }

  @Test
  void statusIsNotPartOfTheKeepRule() {
    assertEquals(Outcome.PING, classify(TestLines.ping().status("000").build()));
    assertEquals(Outcome.PING, classify(TestLines.ping().status("503").build()));
  }

  @Test
  void missingCountsAndEnterpriseFlag() {
    SecurityPing p =
        ping(TestLines.ping().query("b=9.5.3&id=wj3drgzdpnf54rxf5d8qd3dqne").build(), null);
    assertNull(p.registeredUsers());
    assertNull(p.teams());
    assertNull(p.activeUsers());
    assertNull(p.enterpriseReady());
    assertEquals("Unknown", p.edition());
    assertNull(p.database());
    assertNull(p.os());
    assertFalse(p.ranUnitTests());
    assertEquals(0, p.exclusionMask());
  }

  @Test
  void blankActiveUsersIsNull() {
    SecurityPing p =
        ping(TestLines.ping().query("auc=&id=wj3drgzdpnf54rxf5d8qd3dqne&uc=3").build(), null);
    assertNull(p.activeUsers());
    assertEquals(3L, p.registeredUsers());
  }

  @Test
  void percentEncodedQueryValuesAreDecoded() {
    SecurityPing p =
        ping(
            TestLines.ping()
                .query("b=9.5.3&db=my%20sql&id=wj3drgzdpnf54rxf5d8qd3dqne&os=my+os")
                .build(),
            null);
    assertEquals("my sql", p.database());
    assertEquals("my os", p.os());
  }

  // ------------------------------------------------ exclusions through the classifier

  @Test
  void restrictedIpAndExcludedCountryComeFromRulesAndGeo() {
    SecurityPing p = ping(TestLines.ping().clientIp("194.30.0.184").build(), "RU");
    assertEquals(
        ExclusionReason.mask(ExclusionReason.RESTRICTED_IP, ExclusionReason.EXCLUDED_COUNTRY),
        p.exclusionMask());
    assertEquals("RU", p.countryIso());
  }

  @Test
  void invalidServerIdIsExcludedNotFiltered() {
    SecurityPing p = ping(TestLines.ping().query("b=9.5.3&id=abc").build(), null);
    assertEquals(ExclusionReason.INVALID_SERVER_ID.bit(), p.exclusionMask());
  }

  @Test
  void configuredRulesAreApplied() {
    PingClassifier custom = new PingClassifier(ExclusionRules.of("203.0.113.25", "US"));
    assertEquals(Outcome.PING, custom.classify(TestLines.NORMAL_EARLY, STD));
    SecurityPing p = custom.complete("US", "United States", "VA", "Virginia", "Ashburn", 14618L);
    assertEquals(
        ExclusionReason.mask(ExclusionReason.RESTRICTED_IP, ExclusionReason.EXCLUDED_COUNTRY),
        p.exclusionMask());
    assertEquals("United States", p.countryName());
    assertEquals("VA", p.subdivisionIso());
    assertEquals("Virginia", p.subdivisionName());
    assertEquals("Ashburn", p.city());
    assertEquals(14618L, p.asn());
    assertEquals(custom.rules(), ExclusionRules.of("203.0.113.25", "US"));
  }

  // ------------------------------------------------ API contract

  @Test
  void pendingAndCompleteRequireAPing() {
    assertThrows(IllegalStateException.class, classifier::complete);
    classify(TestLines.BULLETIN);
    assertThrows(IllegalStateException.class, classifier::pending);
    assertThrows(IllegalStateException.class, classifier::clientIp);
    assertThrows(IllegalStateException.class, classifier::complete);
  }

  @Test
  void reuseDoesNotCarryGeoOrReasonsOver() {
    SecurityPing first = ping(TestLines.DEV_BUILD_UNIT_TESTS, "RU");
    assertTrue(first.has(ExclusionReason.EXCLUDED_COUNTRY));
    classify(TestLines.BULLETIN);
    SecurityPing second = ping(TestLines.NORMAL_EARLY, null);
    assertNull(second.countryIso());
    assertEquals(0, second.exclusionMask());
    assertEquals("RU", first.countryIso()); // the first ping is unaffected
    assertTrue(first.ranUnitTests());
  }

  @Test
  void completeTwiceGivesEqualPings() {
    classify(TestLines.NORMAL_EARLY);
    assertEquals(classifier.complete(), classifier.complete());
  }

  @Test
  void pendingExposesFieldsForAnEarlyLook() {
    classify(TestLines.DEV_BUILD_UNIT_TESTS);
    SecurityPingFields f = classifier.pending();
    assertEquals("1asb7sk89dp1ex339fkh3te5t4", f.serverId());
    assertTrue(f.ranUnitTests());
    assertTrue(f.customBuild());
    assertEquals(2L, f.activeUsers());
    assertEquals(2L, f.registeredUsers());
  }

  @Test
  void convenienceClassifyUsesItsOwnLine() {
    assertEquals(Outcome.PING, classifier.classify(TestLines.NORMAL_EARLY, STD));
    assertEquals("/security", classifier.line().uriStem());
    assertEquals("0", classifier.query().ut());
    assertEquals(Outcome.PING, classifier.outcome());
  }

  @Test
  void constructorValidatesArguments() {
    assertThrows(IllegalArgumentException.class, () -> new PingClassifier(null));
    assertThrows(
        IllegalArgumentException.class, () -> new PingClassifier(ExclusionRules.DEFAULT, 5, 4));
  }
}
