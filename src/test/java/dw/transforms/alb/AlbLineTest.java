package dw.transforms.alb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The ALB access-log parser against the entries of AWS's documentation ("Access log entries for
 * your Application Load Balancer": HTTP, HTTPS, HTTP/2 with a redirect, WebSockets, secured
 * WebSockets, Lambda success and failure), entries built from the documented field semantics for
 * the request types the page has no example of (gRPC, WAF-blocked, authentication error, newer
 * trailing fields), malformed lines and the other load-balancer log formats.
 */
class AlbLineTest {
  private static final String TG =
      "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067";

  // AWS documentation examples (one line each; the page wraps them for reading)
  static final String DOC_HTTP =
      "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817"
          + " 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\""
          + " \"curl/7.46.0\" - - " + TG + " \"Root=1-58337262-36d228ad5d99923122bbe354\" \"-\" \"-\" 0"
          + " 2018-07-02T22:22:48.364000Z \"forward\" \"-\" \"-\"";
  static final String DOC_HTTPS =
      "https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817"
          + " 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 \"GET https://www.example.com:443/ HTTP/1.1\""
          + " \"curl/7.46.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 " + TG
          + " \"Root=1-58337281-1d84f3d73c47ec4e58577259\" \"www.example.com\""
          + " \"arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012\" 1"
          + " 2018-07-02T22:22:48.364000Z \"authenticate,forward\" \"-\" \"-\"";
  static final String DOC_H2_REDIRECT =
      "h2 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 10.0.1.252:48160"
          + " 10.0.0.66:9000 0.000 0.002 0.000 200 200 5 257 \"GET https://10.0.2.105:773/ HTTP/2.0\""
          + " \"curl/7.46.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 " + TG
          + " \"Root=1-58337327-72bd00b0343d75b906739c42\" \"-\" \"-\" 1 2018-07-02T22:22:48.364000Z"
          + " \"redirect\" \"https://example.com:80/\" \"-\"";
  static final String DOC_WS =
      "ws 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 10.0.0.140:40914"
          + " 10.0.1.192:8010 0.001 0.003 0.000 101 101 218 587 \"GET http://10.0.0.30:80/ HTTP/1.1\""
          + " \"-\" - - " + TG + " \"Root=1-58337364-23a8c76965a2ef7629b185e3\" \"-\" \"-\" 1"
          + " 2018-07-02T22:22:48.364000Z \"forward\" \"-\" \"-\"";
  static final String DOC_WSS =
      "wss 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 10.0.0.140:44244"
          + " 10.0.0.171:8010 0.000 0.001 0.000 101 101 218 786 \"GET https://10.0.0.30:443/ HTTP/1.1\""
          + " \"-\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 " + TG
          + " \"Root=1-58337364-23a8c76965a2ef7629b185e3\" \"-\" \"-\" 1 2018-07-02T22:22:48.364000Z"
          + " \"forward\" \"-\" \"-\"";
  static final String DOC_LAMBDA_OK =
      "http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 -"
          + " 0.000 0.001 0.000 200 200 34 366 \"GET http://www.example.com:80/ HTTP/1.1\""
          + " \"curl/7.46.0\" - - " + TG + " \"Root=1-58337364-23a8c76965a2ef7629b185e3\" \"-\" \"-\" 0"
          + " 2018-11-30T22:22:48.364000Z \"forward\" \"-\" \"-\"";
  static final String DOC_LAMBDA_FAILED =
      "http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 -"
          + " 0.000 0.001 0.000 502 - 34 366 \"GET http://www.example.com:80/ HTTP/1.1\""
          + " \"curl/7.46.0\" - - " + TG + " \"Root=1-58337364-23a8c76965a2ef7629b185e3\" \"-\" \"-\" 0"
          + " 2018-11-30T22:22:48.364000Z \"forward\" \"-\" \"LambdaInvalidResponse\"";

  // current format (target lists, classification, conn_trace_id), built from the field docs
  static final String GRPCS =
      "grpcs 2024-05-06T10:15:02.123456Z app/push-proxy-us/50dc6c495c0c9188 [2001:db8::25]:51234"
          + " 10.0.1.17:50051 0.000 0.012 0.000 200 200 120 88"
          + " \"POST https://push.example.com:443/helloworld.Greeter/SayHello HTTP/2.0\" \"grpc-go/1.63.2\""
          + " ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 " + TG + " \"Root=1-6638a1b2-0123456789abcdef01234567\""
          + " \"push.example.com\" \"arn:aws:acm:us-east-2:123456789012:certificate/abc\" 3"
          + " 2024-05-06T10:15:02.110000Z \"forward\" \"-\" \"-\" \"10.0.1.17:50051\" \"200\" \"-\" \"-\""
          + " TID_0123456789abcdef";
  static final String WAF_BLOCKED =
      "https 2024-05-06T10:16:00.000500Z app/push-proxy-us/50dc6c495c0c9188 203.0.113.9:33000 -"
          + " -1 -1 -1 403 - 512 202 \"POST https://push.example.com:443/api/v1/send_push?x=1 HTTP/1.1\""
          + " \"sqlmap/1.8 \\\"probe\\\"\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 -"
          + " \"Root=1-6638a1b2-aaaaaaaaaaaaaaaaaaaaaaaa\" \"push.example.com\" \"-\" 0"
          + " 2024-05-06T10:16:00.000000Z \"waf\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" TID_aa \"-\" \"-\" \"-\"";
  static final String AUTH_ERROR =
      "https 2024-05-06T10:17:00.250000Z app/push-proxy-us/50dc6c495c0c9188 198.51.100.4:41000 -"
          + " 0.001 -1 0.000 401 - 320 290 \"GET https://push.example.com:443/admin HTTP/1.1\""
          + " \"Mozilla/5.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 -"
          + " \"Root=1-6638a1b2-bbbbbbbbbbbbbbbbbbbbbbbb\" \"push.example.com\" \"-\" 2"
          + " 2024-05-06T10:17:00.240000Z \"authenticate\" \"-\" \"AuthInvalidIdToken\" \"-\" \"-\" \"-\" \"-\""
          + " TID_bb";
  static final String LB_502 =
      "https 2024-05-06T10:18:00.000000Z app/push-proxy-us/50dc6c495c0c9188 198.51.100.5:41001"
          + " 10.0.1.18:8066 0.000 -1 -1 502 - 700 272 \"POST https://push.example.com:443/api/v1/ack HTTP/1.1\""
          + " \"Go-http-client/1.1\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 " + TG
          + " \"Root=1-6638a1b2-cccccccccccccccccccccccc\" \"push.example.com\" \"-\" 0"
          + " 2024-05-06T10:17:59.990000Z \"forward\" \"-\" \"-\" \"10.0.1.18:8066\" \"-\" \"-\" \"-\"";

  private static AlbLine ok(String raw) {
    AlbLine l = new AlbLine();
    assertTrue(l.reset(raw), () -> l.failureReason() + ": " + raw);
    return l;
  }

  private static String reason(String raw) {
    AlbLine l = new AlbLine();
    assertFalse(l.reset(raw), raw);
    return l.failureReason();
  }

  @Test
  void httpEntryEveryFieldByName() {
    AlbLine l = ok(DOC_HTTP);
    assertEquals("http", l.text(AlbField.TYPE));
    assertEquals(Instant.parse("2018-07-02T22:23:00.186641Z").toEpochMilli(), l.eventTimeMillis());
    assertEquals(1530570180186641L, l.eventTimeMicros());
    assertEquals("app/my-loadbalancer/50dc6c495c0c9188", l.text(AlbField.ELB));
    assertEquals("app/my-loadbalancer", l.loadBalancer());
    assertEquals("192.168.131.39", l.clientIp());
    assertEquals(2817, l.clientPort());
    assertEquals("10.0.0.1:80", l.text(AlbField.TARGET_PORT));
    assertEquals(0, l.durationMicros(AlbField.REQUEST_PROCESSING_TIME));
    assertEquals(1000, l.durationMicros(AlbField.TARGET_PROCESSING_TIME));
    assertEquals(1, l.durationMillis(AlbField.TARGET_PROCESSING_TIME));
    assertEquals(200, l.status(AlbField.ELB_STATUS_CODE));
    assertEquals(200, l.status(AlbField.TARGET_STATUS_CODE));
    assertEquals(34, l.number(AlbField.RECEIVED_BYTES));
    assertEquals(366, l.number(AlbField.SENT_BYTES));
    assertEquals("GET http://www.example.com:80/ HTTP/1.1", l.text(AlbField.REQUEST));
    assertEquals("GET", l.method());
    assertEquals("http://www.example.com:80/", l.url());
    assertEquals("/", l.path());
    assertEquals("HTTP/1.1", l.protocol());
    assertEquals("curl/7.46.0", l.text(AlbField.USER_AGENT));
    assertNull(l.text(AlbField.SSL_CIPHER));
    assertNull(l.text(AlbField.SSL_PROTOCOL));
    assertEquals(TG, l.text(AlbField.TARGET_GROUP_ARN));
    assertEquals("Root=1-58337262-36d228ad5d99923122bbe354", l.text(AlbField.TRACE_ID));
    assertNull(l.text(AlbField.DOMAIN_NAME));
    assertNull(l.text(AlbField.CHOSEN_CERT_ARN));
    assertEquals("0", l.text(AlbField.MATCHED_RULE_PRIORITY));
    assertEquals(Instant.parse("2018-07-02T22:22:48.364Z").toEpochMilli() * 1000, l.requestCreationMicros());
    assertEquals("forward", l.text(AlbField.ACTIONS_EXECUTED));
    assertNull(l.text(AlbField.REDIRECT_URL));
    assertNull(l.text(AlbField.ERROR_REASON));
    assertFalse(l.has(AlbField.TARGET_PORT_LIST), "the 2018 entry ends at error_reason");
    assertNull(l.text(AlbField.CONN_TRACE_ID));
  }

  @Test
  void httpsEntry() {
    AlbLine l = ok(DOC_HTTPS);
    assertEquals("https", l.text(AlbField.TYPE));
    assertEquals(86_000, l.durationMicros(AlbField.REQUEST_PROCESSING_TIME));
    assertEquals(48, l.durationMillis(AlbField.TARGET_PROCESSING_TIME));
    assertEquals(37_000, l.durationMicros(AlbField.RESPONSE_PROCESSING_TIME));
    assertEquals(0, l.number(AlbField.RECEIVED_BYTES));
    assertEquals("ECDHE-RSA-AES128-GCM-SHA256", l.text(AlbField.SSL_CIPHER));
    assertEquals("TLSv1.2", l.text(AlbField.SSL_PROTOCOL));
    assertEquals("www.example.com", l.text(AlbField.DOMAIN_NAME));
    assertTrue(l.text(AlbField.CHOSEN_CERT_ARN).startsWith("arn:aws:acm:us-east-2:"));
    assertEquals("authenticate,forward", l.text(AlbField.ACTIONS_EXECUTED));
  }

  @Test
  void http2EntryWithRedirect() {
    AlbLine l = ok(DOC_H2_REDIRECT);
    assertEquals("h2", l.text(AlbField.TYPE));
    assertEquals("HTTP/2.0", l.protocol());
    assertEquals("https://10.0.2.105:773/", l.url());
    assertEquals("redirect", l.text(AlbField.ACTIONS_EXECUTED));
    assertEquals("https://example.com:80/", l.text(AlbField.REDIRECT_URL));
  }

  @Test
  void webSocketEntries() {
    AlbLine ws = ok(DOC_WS);
    assertEquals("ws", ws.text(AlbField.TYPE));
    assertEquals(101, ws.status(AlbField.ELB_STATUS_CODE));
    assertNull(ws.text(AlbField.USER_AGENT), "\"-\" user agent");
    AlbLine wss = ok(DOC_WSS);
    assertEquals("wss", wss.text(AlbField.TYPE));
    assertEquals(786, wss.number(AlbField.SENT_BYTES));
    assertEquals("10.0.0.171:8010", wss.text(AlbField.TARGET_PORT));
  }

  @Test
  void lambdaEntries() {
    AlbLine ok = ok(DOC_LAMBDA_OK);
    assertNull(ok.text(AlbField.TARGET_PORT), "Lambda targets have no address");
    assertNull(ok.text(AlbField.ERROR_REASON));
    AlbLine failed = ok(DOC_LAMBDA_FAILED);
    assertEquals(502, failed.status(AlbField.ELB_STATUS_CODE));
    assertEquals(-1, failed.status(AlbField.TARGET_STATUS_CODE));
    assertEquals("LambdaInvalidResponse", failed.text(AlbField.ERROR_REASON));
  }

  @Test
  void grpcEntryWithIpv6ClientAndNewerFields() {
    AlbLine l = ok(GRPCS);
    assertEquals("grpcs", l.text(AlbField.TYPE));
    assertEquals("2001:db8::25", l.clientIp());
    assertEquals(51234, l.clientPort());
    assertEquals("app/push-proxy-us", l.loadBalancer());
    assertEquals("/helloworld.Greeter/SayHello", l.path());
    assertEquals("10.0.1.17:50051", l.text(AlbField.TARGET_PORT_LIST));
    assertEquals("200", l.text(AlbField.TARGET_STATUS_CODE_LIST));
    assertNull(l.text(AlbField.CLASSIFICATION));
    assertEquals("TID_0123456789abcdef", l.text(AlbField.CONN_TRACE_ID));
  }

  @Test
  void wafBlockedEntryWithEscapedQuotesQueryAndUnknownTrailingFields() {
    AlbLine l = ok(WAF_BLOCKED + " \"a-field-added-next-year\" 42");
    assertEquals(403, l.status(AlbField.ELB_STATUS_CODE));
    assertEquals(-1, l.status(AlbField.TARGET_STATUS_CODE));
    assertEquals(-1, l.durationMicros(AlbField.REQUEST_PROCESSING_TIME), "-1: not dispatched");
    assertEquals(-1, l.durationMillis(AlbField.TARGET_PROCESSING_TIME));
    assertEquals("sqlmap/1.8 \"probe\"", l.text(AlbField.USER_AGENT));
    assertEquals("waf", l.text(AlbField.ACTIONS_EXECUTED));
    assertEquals("/api/v1/send_push", l.path(), "path without the query");
    assertTrue(l.pathEndsWith("/api/v1/send_push"));
    assertTrue(l.methodIs("POST"));
    assertNull(l.text(AlbField.TARGET_GROUP_ARN));
    assertTrue(l.has(AlbField.REQUEST_TRANSFORM_STATUS), "the last known field is present");
    assertNull(l.text(AlbField.REQUEST_TRANSFORM_STATUS));
    assertEquals(2, l.extraFieldCount());
  }

  @Test
  void authenticationErrorAndLoadBalancerErrors() {
    AlbLine auth = ok(AUTH_ERROR);
    assertEquals(401, auth.status(AlbField.ELB_STATUS_CODE));
    assertEquals("authenticate", auth.text(AlbField.ACTIONS_EXECUTED));
    assertEquals("AuthInvalidIdToken", auth.text(AlbField.ERROR_REASON));
    assertEquals(-1, auth.durationMillis(AlbField.TARGET_PROCESSING_TIME));
    AlbLine bad = ok(LB_502);
    assertEquals(502, bad.status(AlbField.ELB_STATUS_CODE));
    assertEquals(-1, bad.status(AlbField.TARGET_STATUS_CODE));
    assertTrue(bad.methodIs("POST") && bad.pathEndsWith("/api/v1/ack"));
    assertNull(bad.text(AlbField.TARGET_STATUS_CODE_LIST));
  }

  @Test
  void malformedRequestLineIsParsedWithoutMethod() {
    AlbLine l = ok(DOC_HTTP.replace("\"GET http://www.example.com:80/ HTTP/1.1\"", "\"- http://www.example.com:80- -\""));
    assertFalse(l.requestWellFormed());
    assertNull(l.method());
    assertNull(l.path());
    assertFalse(l.pathEndsWith("/"));
  }

  @Test
  void malformedLinesHaveReasons() {
    assertEquals(AlbLine.EMPTY_LINE, reason(""));
    assertEquals(AlbLine.EMPTY_LINE, reason("   "));
    assertEquals(AlbLine.TOO_FEW_FIELDS, reason(DOC_HTTP.substring(0, DOC_HTTP.indexOf(" \"forward\""))));
    assertEquals(AlbLine.UNTERMINATED_QUOTE, reason(DOC_HTTP.substring(0, DOC_HTTP.indexOf("curl") + 4)));
    assertEquals(AlbLine.UNTERMINATED_QUOTE, reason(DOC_HTTP.replace("\"curl/7.46.0\"", "\"curl/7.46.0\"x")));
    assertEquals(AlbLine.BAD_TIMESTAMP, reason(DOC_HTTP.replace("2018-07-02T22:23:00.186641Z", "2018-02-30T22:23:00.186641Z")));
    assertEquals(AlbLine.BAD_TIMESTAMP, reason(DOC_HTTP.replace("2018-07-02T22:23:00.186641Z", "yesterday-at-noon-utc")));
    assertEquals(AlbLine.BAD_NUMBER + ": elb_status_code", reason(DOC_HTTP.replace(" 200 200 ", " OK 200 ")));
    assertEquals(AlbLine.BAD_NUMBER + ": sent_bytes", reason(DOC_HTTP.replace(" 34 366 ", " 34 36x ")));
    // numbers too long for their accessor (they used to wrap around: a negative byte total)
    assertEquals(AlbLine.BAD_NUMBER + ": sent_bytes", reason(DOC_HTTP.replace(" 34 366 ", " 34 99999999999999999999 ")));
    assertEquals(AlbLine.BAD_NUMBER + ": elb_status_code", reason(DOC_HTTP.replace(" 200 200 ", " 2000000000 200 ")));
    assertEquals(AlbLine.BAD_NUMBER + ": request_processing_time", reason(DOC_HTTP.replace(" 0.000 0.001 ", " 9999999999999.0 0.001 ")));
    AlbLine l = new AlbLine();
    assertTrue(l.reset(DOC_HTTP.replace(" 34 366 ", " 34 000000000000000000000366 ")));
    assertEquals(366, l.number(AlbField.SENT_BYTES));
    assertTrue(l.reset(DOC_HTTP.replace("192.168.131.39:2817", "192.168.131.39:99999999999")));
    assertEquals(-1, l.clientPort()); // used to throw NumberFormatException
    assertTrue(l.reset(DOC_HTTP.replace("192.168.131.39:2817", "192.168.131.39:65536")));
    assertEquals(-1, l.clientPort());
    assertEquals(AlbLine.UNKNOWN_FORMAT, reason("hello world"));
    assertEquals(AlbLine.UNKNOWN_FORMAT, reason(DOC_HTTP.replace("app/my-loadbalancer", "gwy/my-loadbalancer")));
  }

  @Test
  void otherLoadBalancerFormatsAreNamed() {
    String classic =
        "2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048"
            + " 0.000057 200 200 0 29 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.38.0\" - -";
    assertEquals(AlbLine.CLASSIC_ELB, reason(classic));
    String nlb =
        "tls 2.0 2018-12-20T02:59:40 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4b5e8bb8464cd"
            + " 72.21.218.154:51341 172.100.100.185:443 5 2 98 246 - arn:aws:acm:us-east-2:671290407336:"
            + "certificate/2a108f19-aded-46b0-8493-c63eb1ef4a99 - ECDHE-RSA-AES128-SHA tlsv12 - my-network-"
            + "loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com - - - 2018-12-20T02:59:30";
    assertEquals(AlbLine.NLB, reason(nlb));
    String connection =
        "2023-10-04T17:39:13.837567Z 203.0.113.1 36280 443 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 4 - -"
            + " - Success TID_1234abcd5678ef90";
    assertEquals(AlbLine.ALB_CONNECTION_LOG, reason(connection));
  }

  @Test
  void reusedCursorForgetsThePreviousLine() {
    AlbLine l = new AlbLine();
    assertTrue(l.reset(GRPCS));
    assertTrue(l.reset(DOC_HTTP));
    assertFalse(l.has(AlbField.CONN_TRACE_ID));
    assertEquals("curl/7.46.0", l.text(AlbField.USER_AGENT));
    assertFalse(l.reset("x"));
    assertTrue(l.reset(WAF_BLOCKED));
    assertEquals("sqlmap/1.8 \"probe\"", l.text(AlbField.USER_AGENT));
  }
}
