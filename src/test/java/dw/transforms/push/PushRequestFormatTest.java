package dw.transforms.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.transforms.logs.LineParser;
import dw.transforms.logs.LineParser.Outcome;
import java.util.List;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpPseudonymizer;
import org.junit.jupiter.api.Test;

/** The push rules over ALB lines: routes, filter reasons, deployments, status classes, redaction. */
class PushRequestFormatTest {
  private static final String FILE =
      "s3://b/AWSLogs/123456789012/elasticloadbalancing/us-east-1/2024/05/06/"
          + "123456789012_elasticloadbalancing_us-east-1_app.hpns-alb.50dc6c495c0c9188_20240506T1015Z_198.51.100.10_2k9x8f7e.log.gz";

  // original-system.md §7.3 (constructed), with the request and status varied per case
  private static final ClientIpPolicy IPS = new ClientIpPolicy(new IpPseudonymizer(new byte[16]), false, false);

  private static String line(String request, int status) {
    return "https 2024-05-06T10:15:02.123456Z app/hpns-alb/50dc6c495c0c9188 203.0.113.25:51234 10.0.1.17:8066"
        + " 0.000 0.045 0.000 " + status + " " + status + " 812 321 \"" + request + "\" \"Go-http-client/1.1\""
        + " ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2"
        + " arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/push-proxy/73e2d6bc24d8a067"
        + " \"Root=1-66389f1a-3b5a1c0e7d2f4a9b8c6e1d20\" \"push.mattermost.com\" \"arn:aws:acm:us-east-1:1:certificate/x\""
        + " 0 2024-05-06T10:15:02.077000Z \"forward\" \"-\" \"-\" \"10.0.1.17:8066\" \"" + status + "\" \"-\" \"-\"";
  }

  private static LineParser<PushRequest> parser(String deployments, int from, int to) {
    LineParser<PushRequest> p =
        new PushRequestFormat(Deployments.parse(deployments), from, to, null, null, 0, IPS).newParser();
    p.startFile(FILE);
    return p;
  }

  private static LineParser<PushRequest> parser() {
    return parser("US=app/hpns-alb", Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  @Test
  void sendPushAndAckArePushRequestsWithTheirDeploymentAndRegion() {
    LineParser<PushRequest> p = parser();
    assertEquals(Outcome.RECORD, p.parse(line("POST https://push.mattermost.com:443/api/v1/send_push HTTP/1.1", 200), 1));
    PushRequest r = p.record();
    assertEquals(PushRoute.SEND_PUSH, r.route());
    assertEquals("US", r.deployment());
    assertEquals("app/hpns-alb", r.loadBalancer());
    assertEquals("us-east-1", r.awsRegion());
    assertEquals(45, r.targetMillis());
    assertEquals("unknown", r.countryIso(), "no GeoIP database");
    assertEquals(java.time.Instant.parse("2024-05-06T10:15:02.123Z").toEpochMilli(), p.eventTimeMillis());
    assertEquals(Outcome.RECORD, p.parse(line("POST https://push.mattermost.com:443/api/v1/ack?x=1 HTTP/2.0", 429), 2));
    assertEquals(PushRoute.ACK, p.record().route());
    assertEquals(429, p.record().elbStatus());
  }

  @Test
  void everythingElseIsFilteredWithAReason() {
    LineParser<PushRequest> p = parser();
    List<String> reasons = new PushRequestFormat(Deployments.none(), 0, 0, null, null, 0, IPS).filterReasons();
    assertEquals(Outcome.FILTERED, p.parse(line("GET https://push.mattermost.com:443/ HTTP/1.1", 200), 1));
    assertEquals("other_route", reasons.get(p.filterReason()));
    assertEquals(Outcome.FILTERED, p.parse(line("GET https://push.mattermost.com:443/api/v1/send_push HTTP/1.1", 200), 2));
    assertEquals("not_post", reasons.get(p.filterReason()));
    assertEquals(Outcome.FILTERED, p.parse(line("POST https://push.mattermost.com:443/api/v1/send_push/x HTTP/1.1", 200), 3));
    assertEquals("other_route", reasons.get(p.filterReason()));
    assertEquals(Outcome.FILTERED, p.parse(line("- https://push.mattermost.com:443- -", 400), 4));
    assertEquals("malformed_request", reasons.get(p.filterReason()));
    int day = (int) java.time.LocalDate.parse("2024-05-07").toEpochDay();
    LineParser<PushRequest> ranged = parser("", day, day);
    assertEquals(Outcome.FILTERED, ranged.parse(line("POST https://h:443/api/v1/ack HTTP/1.1", 200), 5));
    assertEquals("outside_date_range", reasons.get(ranged.filterReason()));
  }

  @Test
  void unmappedLoadBalancersKeepTheirName() {
    LineParser<PushRequest> p = parser("EU=app/other", Integer.MIN_VALUE, Integer.MAX_VALUE);
    assertEquals(Outcome.RECORD, p.parse(line("POST https://h:443/api/v1/ack HTTP/1.1", 200), 1));
    assertEquals("app/hpns-alb", p.record().deployment());
  }

  @Test
  void brokenLinesAndOtherFormatsAreDeadWithRedactedClientAddresses() {
    LineParser<PushRequest> p = parser();
    String classic =
        "2015-05-13T23:39:43.945958Z my-loadbalancer 81.2.69.160:2817 10.0.0.1:80 0.000073 0.001048"
            + " 0.000057 200 200 0 29 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.38.0\" - -";
    assertEquals(Outcome.DEAD, p.parse(classic, 1));
    assertEquals("other_format: classic_elb_access_log", p.deadReason());
    String redacted = p.redact(classic);
    assertFalse(redacted.contains("81.2.69.160"), redacted);
    assertTrue(redacted.contains(IPS.hash("81.2.69.160") + ":2817") && redacted.contains(IPS.hash("10.0.0.1") + ":80"), redacted);
    String v6 = "https 2024-05-06T10:15:02Z app/x/1 [2a02:c7c:b9a::5]:443 truncated";
    assertEquals("https 2024-05-06T10:15:02Z app/x/1 [" + IPS.hash("2a02:c7c:b9a::5") + "]:443 truncated", p.redact(v6));
    // private client addresses too (they used to stay: only public ones were masked)
    assertEquals(IPS.hash("2a02:c7c:b9a::5") + " is " + IPS.hash("203.0.113.9") + ", " + IPS.hash("10.1.2.3") + " too",
        p.redact("2a02:c7c:b9a::5 is 203.0.113.9, 10.1.2.3 too"));
    ClientIpPolicy clear = new ClientIpPolicy(new IpPseudonymizer(new byte[16]), false, true);
    String line = "https 2024-05-06T10:15:02Z app/x/1 10.1.2.3:443 truncated";
    assertEquals(line, new PushRequestFormat(Deployments.none(), 0, 0, null, null, 0, clear).newParser().redact(line));
  }

  @Test
  void deploymentOptionIsCheckedAndNamesTheBadEntry() {
    assertEquals("US", Deployments.parse("US=app/push-proxy-us, EU=app/push-proxy-eu/123").label("app/push-proxy-us"));
    assertEquals("EU", Deployments.parse("EU=app/push-proxy-eu/123").label("app/push-proxy-eu"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Deployments.parse("US"))
        .getMessage().contains("'US'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Deployments.parse("US=push-proxy-us"))
        .getMessage().contains("app/<name>"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Deployments.parse("US=app/a,EU=app/a"))
        .getMessage().contains("mapped twice"));
  }

  @Test
  void statusClasses() {
    assertEquals(PushStatus.ANSWERED, PushStatus.of(200));
    assertEquals(PushStatus.RATE_LIMITED, PushStatus.of(429));
    assertEquals(PushStatus.CLIENT_ERROR, PushStatus.of(404));
    assertEquals(PushStatus.SERVER_ERROR, PushStatus.of(460));
    assertEquals(PushStatus.SERVER_ERROR, PushStatus.of(504));
    assertEquals(PushStatus.OTHER, PushStatus.of(301));
    assertEquals(PushStatus.OTHER, PushStatus.of(-1));
  }
}
