package dw.transforms.releases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.geo.GeoLookups;
import dw.transforms.logs.LineParser.Outcome;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpPseudonymizer;
import dw.transforms.useragent.UserAgentParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The original's download example lines (original-system.md §7.2) and the filter order. */
class ReleaseLinesTest {
  private static final String FIELDS =
      "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end";
  private static final int DAY = (int) java.time.LocalDate.parse("2024-05-06").toEpochDay();
  private static final ClientIpPolicy IPS =
      new ClientIpPolicy(
          new IpPseudonymizer("0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), false, false);

  private static String line(String time, long bytes, String ip, String method, String uri, int status, String referer, String ua, String id) {
    return String.join("\t", "2024-05-06", time, "IAD89-C1", Long.toString(bytes), ip, method,
        "d2hxq6v3example.cloudfront.net", uri, Integer.toString(status), referer, ua, "-", "-", "Hit", id,
        "releases.mattermost.com", "https", "189", "14.223", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Hit",
        "HTTP/1.1", "-", "-", "44318", "14.223", "Hit", "application/x-gzip", Long.toString(bytes), "-", "-");
  }

  private static ReleaseLines parser(int from, int to) {
    ReleaseLines p = new ReleaseLines(from, to, GeoLookups.none(), new UserAgentParser(), IPS);
    p.startFile("E2RELEASEDIST.2024-05-06-08.9c1d2e3f.gz");
    assertEquals(Outcome.HEADER, p.parse("#Version: 1.0", 1));
    assertEquals(Outcome.HEADER, p.parse(FIELDS, 2));
    return p;
  }

  @Test
  void theOriginalsExampleLines() {
    ReleaseLines p = parser(DAY, DAY);
    assertEquals(Outcome.RECORD, p.parse(line("08:01:12", 412881537, "203.0.113.77", "GET",
        "/9.7.1/mattermost-9.7.1-linux-amd64.tar.gz", 200, "-", "Wget/1.21.2", "Zx1c=="), 3));
    ReleaseDownload d = p.record();
    assertEquals("enterprise/linux/9.7.1", d.downloadType() + "/" + d.operatingSystem() + "/" + d.version());
    assertEquals(DAY, d.logEpochDay());
    assertEquals("Wget", d.browserFamily());
    assertFalse(d.bot());
    assertEquals(Outcome.RECORD, p.parse(line("08:03:45", 398114020, "198.51.100.12", "GET",
        "/9.7.1/mattermost-team-9.7.1-linux-amd64.tar.gz", 200, "https://mattermost.com/download/", "curl/7.81.0", "Ab3d=="), 4));
    assertEquals("team", p.record().downloadType());
    assertEquals("mattermost.com", p.record().referrerHost());
    assertEquals(Outcome.RECORD, p.parse(line("10:22:09", 109876543, "192.0.2.45", "GET",
        "/desktop/5.7.0/mattermost-desktop-setup-5.7.0-win.exe", 200, "-",
        "Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)%20Chrome/124.0.0.0%20Safari/537.36",
        "Kk2L=="), 5));
    assertEquals("desktop/windows/Chrome/Windows", p.record().downloadType() + "/" + p.record().operatingSystem()
        + "/" + p.record().browserFamily() + "/" + p.record().uaOsFamily());
    assertTrue(p.record().userAgent().startsWith("Mozilla/5.0 (Windows NT 10.0;"));
    assertEquals(Outcome.RECORD, p.parse(line("10:25:31", 121003311, "192.0.2.99", "GET",
        "/desktop/5.7.0/mattermost-desktop-5.7.0-mac.dmg", 200, "-", "-", "Cc1D=="), 6));
    assertEquals("mac", p.record().operatingSystem());
    // (5) the .sig file and (6) the 206 partial response: not more than 1 000 000 bytes
    assertEquals(Outcome.FILTERED, p.parse(line("12:00:00", 420, "203.0.113.77", "GET",
        "/9.7.1/mattermost-9.7.1-linux-amd64.tar.gz.sig", 200, "-", "Wget/1.21.2", "Uu1V=="), 7));
    assertEquals("too_small", ReleaseLines.FILTER_REASONS.get(p.filterReason()));
    assertEquals(Outcome.FILTERED, p.parse(line("12:04:51", 5012, "203.0.113.88", "GET",
        "/9.7.1/mattermost-9.7.1-windows-amd64.zip", 206, "-", "Go-http-client/1.1", "Mm1N=="), 8));
    assertEquals("too_small", ReleaseLines.FILTER_REASONS.get(p.filterReason()));
  }

  @Test
  void filterReasonsInTheirOrderAndDeadLetters() {
    ReleaseLines p = parser(DAY, DAY);
    String uri = "/10.5.1/mattermost-10.5.1-linux-amd64.tar.gz";
    assertFiltered(p, "not_get", line("01:00:00", 0, "192.0.2.1", "HEAD", uri, 404, "-", "-", "a"));
    assertFiltered(p, "not_2xx", line("01:00:00", 5_000_000, "192.0.2.1", "GET", "/index.html", 404, "-", "-", "b"));
    assertFiltered(p, "too_small", line("01:00:00", 1_000_000, "192.0.2.1", "GET", "/index.html", 200, "-", "-", "c"));
    assertFiltered(p, "no_version", line("01:00:00", 1_000_001, "192.0.2.1", "GET", "/index.html", 200, "-", "-", "d"));
    ReleaseLines narrow = parser(DAY + 1, DAY + 1);
    assertFiltered(narrow, "outside_date_range", line("01:00:00", 2_000_000, "192.0.2.1", "GET", uri, 200, "-", "-", "e"));
    assertEquals(Outcome.RECORD, p.parse(line("01:00:00", 2_000_000, "192.0.2.1", "GET", uri, 200, "-", "-", "f"), 9));
    assertEquals(10, p.record().versionMajor());

    String noId = line("01:00:00", 2_000_000, "192.0.2.1", "GET", uri, 200, "-", "-", "-");
    assertEquals(Outcome.DEAD, p.parse(noId, 10));
    assertEquals("missing_request_id", p.deadReason());
    assertEquals(Outcome.DEAD, p.parse(line("25:00:00", 2_000_000, "192.0.2.1", "GET", uri, 200, "-", "-", "g"), 11));
    assertEquals("bad_timestamp", p.deadReason());
    assertEquals(Outcome.DEAD, p.parse("2024-05-06\t01:00:00\tIAD89-C1", 12));
    assertEquals("too_few_fields", p.deadReason());
    String redacted = p.redact(noId);
    assertFalse(redacted.contains("192.0.2.1"), redacted);
    assertTrue(redacted.contains("\t" + IPS.hash("192.0.2.1") + "\tGET\t"), redacted);
    // the shared policy: x-forwarded-for, and a cut line's addresses wherever they are
    String forwarded = noId.replace("\t14.223\t-\tTLSv1.3", "\t14.223\t198.51.100.7, 2001:db8::9\tTLSv1.3");
    String r2 = p.redact(forwarded);
    assertFalse(r2.contains("198.51.100.7") || r2.contains("2001:db8::9") || r2.contains("192.0.2.1"), r2);
    String cut = "2024-05-06\t01:00:00\tIAD89-C1\t5\t2001:db8::9";
    assertEquals("2024-05-06\t01:00:00\tIAD89-C1\t5\t" + IPS.hash("2001:db8::9"), p.redact(cut));
  }

  private static void assertFiltered(ReleaseLines p, String reason, String line) {
    assertEquals(Outcome.FILTERED, p.parse(line, 3), line);
    assertEquals(reason, ReleaseLines.FILTER_REASONS.get(p.filterReason()), line);
  }
}
