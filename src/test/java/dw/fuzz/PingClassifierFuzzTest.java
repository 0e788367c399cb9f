package dw.fuzz;

import dw.transforms.security.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dw.transforms.cloudfront.CloudFrontField;
import dw.transforms.cloudfront.CloudFrontLayout;
import dw.transforms.cloudfront.CloudFrontLine;
import dw.transforms.cloudfront.TestLines;
import dw.transforms.common.DeadLetter;
import dw.transforms.pings.SecurityPingCoder;
import dw.transforms.security.PingClassifier.Outcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;

/**
 * Coverage-guided fuzzing of {@link PingClassifier} (with {@link SecurityQuery}, {@link
 * BuildVersion}, {@link ExclusionRules} and {@link SecurityPing} behind it) on lines derived from a
 * real ping by replacing fields with fuzzed text. Every line ends as exactly one of: a ping (whose
 * fields are the line's, and which survives its coder unchanged), a filter reason, or a dead-letter
 * reason from the documented set; no exception escapes; classifying the same line again, after
 * another, gives the same result.
 */
class PingClassifierFuzzTest {
  private static final Set<String> DEAD_REASONS =
      Set.of(
          PingClassifier.DEAD_TOO_FEW_FIELDS,
          PingClassifier.DEAD_EMPTY_LINE,
          PingClassifier.DEAD_BAD_TIMESTAMP,
          PingClassifier.DEAD_BAD_NUMBER_UC,
          PingClassifier.DEAD_BAD_NUMBER_TC,
          PingClassifier.DEAD_BAD_NUMBER_AUC);
  private static final String[] QUERY_PIECES = {
    "id=", "auc=", "uc=", "tc=", "b=", "be=", "db=", "os=", "ut=", "&", "=", "%", "%zz", "%2",
    "wj3drgzdpnf54rxf5d8qd3dqne", "9.5.3.9.5.3", "9.8.0.dev", "9.5.2.cloud-2024-04-30-1",
    "10.0.0.12345678901", "true", "false", "postgres", "1", "0", "-1", "99999999999999999999",
    "BUMP_RELEASE", "plyr-1", "+", "%20", "\u00e9"
  };
  private static final String[] IPS = {
    "203.0.113.25", "::1", "fe80::1%eth0", "2001:db8::1", "999.1.1.1", "10.0.0.1", "-", "", "1.2.3"
  };

  /** Created in the test, not at class load: Jazzer instruments classes loaded after its agent. */
  private CloudFrontLine line;

  private Coder<SecurityPing> coder;

  @FuzzTest(maxDuration = "10s")
  void classify(FuzzedDataProvider data) throws IOException {
    if (line == null) {
      line = new CloudFrontLine();
      coder = SecurityPingCoder.of();
    }
    ExclusionRules rules =
        data.consumeBoolean() ? ExclusionRules.DEFAULT : ExclusionRules.of("203.0.113.25,::1", "CN,RU");
    int from = data.consumeInt(19_000, 20_500);
    int to = data.consumeBoolean() ? Integer.MAX_VALUE : from + data.consumeInt(0, 1000);
    PingClassifier classifier = new PingClassifier(rules, from, to);
    CloudFrontLayout layout =
        data.consumeBoolean()
            ? CloudFrontLayout.STANDARD
            : TestLines.layout(data.pickValue(new Integer[] {12, 23, 24, 26, 31, 33}));
    String raw = line(data, layout);
    String geoCountry = data.pickValue(new String[] {"US", "CN", "RU", "", "ZZ"});

    Result first = classifyOnce(classifier, raw, layout, geoCountry);
    classifyOnce(classifier, TestLines.BULLETIN, CloudFrontLayout.STANDARD, null);
    Result again = classifyOnce(classifier, raw, layout, geoCountry);
    assertEquals(first, again, raw);
  }

  private record Result(Outcome outcome, String reason, SecurityPing ping) {}

  private Result classifyOnce(PingClassifier classifier, String raw, CloudFrontLayout layout, String country)
      throws IOException {
    line.reset(raw, layout);
    Outcome o = classifier.classify(line);
    assertNotNull(o);
    assertEquals(o, classifier.outcome());
    switch (o) {
      case DEAD -> {
        assertTrue(DEAD_REASONS.contains(classifier.deadReason()), classifier.deadReason());
        assertNull(classifier.filterReason());
        DeadLetter d = new DeadLetter("security-pings", "s3://b/k.gz", 7, classifier.deadReason(), raw);
        assertEquals(d, roundTrip(DeadLetter.Coder.of(), d));
        return new Result(o, classifier.deadReason(), null);
      }
      case FILTERED -> {
        FilterReason r = classifier.filterReason();
        assertNotNull(r);
        assertNull(classifier.deadReason());
        checkFilterReason(r, classifier);
        return new Result(o, r.code(), null);
      }
      default -> {
        assertNull(classifier.deadReason());
        assertNull(classifier.filterReason());
        assertTrue(line.uriStemIs("/security") && line.methodIs("GET"));
        String ip = classifier.clientIp();
        assertEquals(line.clientIp(), ip);
        SecurityPing p = classifier.complete(country, "name", null, null, null, 64500L);
        assertEquals(line.eventTimeMillis(), p.eventTimeMillis());
        assertEquals(line.epochDay(), p.logEpochDay());
        assertTrue(p.serverId() != null && !p.serverId().isEmpty());
        assertEquals(classifier.query().id(), p.serverId());
        assertEquals(classifier.query().aucOrNull(), p.activeUsers());
        assertEquals(classifier.query().ucOrNull(), p.registeredUsers());
        assertEquals(classifier.query().tcOrNull(), p.teams());
        assertEquals(rules(classifier).reasons(p, country), p.exclusionMask());
        assertEquals(p.exclusionMask() != 0, p.excluded());
        assertEquals(Integer.bitCount(p.exclusionMask()), p.exclusionCodes().size());
        assertNotNull(p.toString());
        assertEquals(p, roundTrip(coder, p));
        return new Result(o, null, p);
      }
    }
  }

  private static ExclusionRules rules(PingClassifier c) {
    return c.rules();
  }

  /** The filter reason agrees with the raw fields (the keep rule's checks, in their order). */
  private void checkFilterReason(FilterReason r, PingClassifier c) {
    boolean security = line.uriStemIs("/security");
    boolean get = line.methodIs("GET");
    boolean go = line.userAgentStartsWith("Go-http-client/");
    boolean test = line.queryContains("BUMP_RELEASE") || line.queryContains("plyr-1");
    switch (r) {
      case NOT_SECURITY_PATH -> assertFalse(security);
      case NOT_GET -> assertTrue(security && !get);
      case NOT_GO_CLIENT -> assertTrue(security && get && !go);
      case TEST_QUERY -> assertTrue(security && get && go && test);
      case OUTSIDE_DATE_RANGE, MISSING_SERVER_ID -> assertTrue(security && get && go && !test);
    }
    if (r == FilterReason.MISSING_SERVER_ID) {
      assertTrue(c.query().id() == null || c.query().id().isEmpty());
    }
  }

  private static <T> T roundTrip(Coder<T> coder, T value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    coder.encode(value, out);
    return coder.decode(new ByteArrayInputStream(out.toByteArray()));
  }

  /** The real ping's fields, in the layout's order, with some replaced by fuzzed text. */
  private static String line(FuzzedDataProvider data, CloudFrontLayout layout) {
    List<String> std = CloudFrontLayout.STANDARD_FIELD_NAMES;
    String[] template = TestLines.NORMAL_EARLY.split("\t", -1);
    String[] fields = new String[layout.fieldCount()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = template[std.indexOf(layout.fieldNames().get(i))];
    }
    int edits = data.consumeInt(0, 6);
    for (int e = 0; e < edits; e++) {
      CloudFrontField f = data.pickValue(CloudFrontField.values());
      int idx = layout.index(f);
      if (idx < 0) {
        continue;
      }
      fields[idx] =
          switch (f) {
            case QUERY -> query(data);
            case CLIENT_IP -> data.consumeBoolean() ? data.pickValue(IPS) : data.consumeString(40);
            case DATE -> data.consumeBoolean()
                ? String.format("%04d-%02d-%02d", data.consumeInt(2020, 2030), data.consumeInt(0, 13), data.consumeInt(0, 32))
                : data.consumeString(12);
            case TIME -> data.consumeBoolean()
                ? String.format("%02d:%02d:%02d", data.consumeInt(0, 24), data.consumeInt(0, 60), data.consumeInt(0, 61))
                : data.consumeString(10);
            default -> data.consumeBoolean() ? "-" : data.consumeString(30);
          };
    }
    int keep = data.consumeBoolean() ? fields.length : data.consumeInt(0, fields.length);
    String raw = String.join("\t", Arrays.copyOf(fields, keep));
    return data.consumeBoolean() ? raw + data.pickValue(new String[] {"\r", "\t", "\t\t"}) : raw;
  }

  private static String query(FuzzedDataProvider data) {
    StringBuilder sb = new StringBuilder();
    int n = data.consumeInt(0, 20);
    for (int i = 0; i < n; i++) {
      sb.append(data.consumeBoolean() ? data.pickValue(QUERY_PIECES) : data.consumeString(6));
    }
    return sb.toString();
  }
}
