package dw.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dw.geo.GeoLookups;
import dw.transforms.cloudfront.CloudFrontField;
import dw.transforms.cloudfront.CloudFrontLayout;
import dw.transforms.cloudfront.CloudFrontLine;
import dw.transforms.logs.LineParser.Outcome;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpPseudonymizer;
import dw.transforms.releases.ReferrerHost;
import dw.transforms.releases.ReleaseDownload;
import dw.transforms.releases.ReleaseLines;
import dw.transforms.releases.ReleaseUri;
import dw.transforms.useragent.UserAgentParser;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import ua_parser.Client;

/**
 * Coverage-guided fuzzing of the releases rules: {@link ReleaseUri} against the original
 * warehouse's regular expressions (domain.md §3, with the one documented difference: a major
 * version of 1-3 digits not starting with 0), and {@link ReleaseLines} on download lines whose
 * fields are replaced by fuzzed text: every line is a download, a filter reason of the documented
 * order or a dead reason; a download's fields are the line's; {@link UserAgentParser}'s cached
 * families equal ua-parser's own for the same string; {@link ReferrerHost} never throws and gives
 * a lower-case host without path, query or user; the same line again gives the same result.
 */
class ReleaseLinesFuzzTest {
  private static final Pattern SERVER = Pattern.compile("/([1-9][0-9]{0,2}\\.[0-9]{1,3}\\.[0-9]{1,3})/.*", Pattern.DOTALL);
  private static final Pattern DESKTOP =
      Pattern.compile("/desktop/([1-9][0-9]{0,2}\\.[0-9]{1,3}\\.[0-9]{1,3})/.*", Pattern.DOTALL);
  private static final Pattern WIN_DIGITS = Pattern.compile(".*win[0-9]{2}.*", Pattern.DOTALL);
  private static final Pattern WIN_EXT = Pattern.compile(".*-win\\.[a-z]{3}", Pattern.DOTALL);
  private static final Pattern MAC_EXT = Pattern.compile(".*mac\\.[a-z]{3}", Pattern.DOTALL);
  private static final String[] URI_PIECES = {
    "/", "/desktop/", "9.7.1", "10.11.0", "0.1.2", "1000.1.1", "5.7.0", "1.2.3/", ".", "team", "linux", "-windows-",
    "msi", "win64", "win1", "-win-", "-win.exe", "mac.dmg", "-osx.", "MAC.DMG", "mattermost-", ".tar.gz", "%2F", "\u00e9"
  };
  private static final String[] IPS = {"203.0.113.77", "2001:db8::7", "fe80::1%eth0", "-", "999.1.1.1", ""};
  private static final String[] UAS = {
    "Wget/1.21.2", "curl/7.81.0", "Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)", "Googlebot/2.1",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "-", "%", "%zz"
  };
  private static final String TEMPLATE =
      String.join("\t", "2024-05-06", "08:01:12", "IAD89-C1", "412881537", "203.0.113.77", "GET",
          "d2hxq6v3example.cloudfront.net", "/9.7.1/mattermost-9.7.1-linux-amd64.tar.gz", "200",
          "https://mattermost.com/download/", "Wget/1.21.2", "-", "-", "Hit", "Zx1c==", "releases.mattermost.com",
          "https", "189", "14.223", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Hit", "HTTP/1.1", "-", "-", "44318",
          "14.223", "Hit", "application/x-gzip", "412881537", "-", "-");
  private static final int DAY = (int) java.time.LocalDate.parse("2024-05-06").toEpochDay();

  /** Created in the test, not at class load: Jazzer instruments classes loaded after its agent. */
  private ReleaseLines lines;

  private CloudFrontLine line;
  private ua_parser.Parser uaParser;
  private ClientIpPolicy ips;

  @FuzzTest(maxDuration = "10s")
  void releases(FuzzedDataProvider data) {
    if (lines == null) {
      ips = new ClientIpPolicy(new IpPseudonymizer(new byte[32]), false, false);
      lines = new ReleaseLines(DAY - 1, DAY + 1, GeoLookups.none(), new UserAgentParser(), ips);
      line = new CloudFrontLine();
      uaParser = new ua_parser.Parser();
    }
    if (data.consumeBoolean()) {
      String uri = data.consumeBoolean() ? pieces(data, URI_PIECES) : data.consumeRemainingAsString();
      checkUri(uri);
      return;
    }
    String raw = line(data);
    lines.startFile("E2RELEASEDIST.2024-05-06-08.9c1d2e3f.gz");
    String first = parse(raw);
    parse(TEMPLATE);
    assertEquals(first, parse(raw), raw);
    String referer = data.consumeString(60);
    String host = ReferrerHost.of(referer);
    if (host != null) {
      assertEquals(host.toLowerCase(Locale.ROOT), host);
      assertTrue(referer.toLowerCase(Locale.ROOT).contains(host), referer);
      assertFalse(host.contains("/") || host.contains("?") || host.contains("#") || host.contains("@"), host);
    }
  }

  /** The original's rules, as regular expressions over the whole URI. */
  private static void checkUri(String uri) {
    ReleaseUri r = ReleaseUri.parse(uri);
    java.util.regex.Matcher desktop = DESKTOP.matcher(uri);
    java.util.regex.Matcher server = SERVER.matcher(uri);
    if (desktop.matches()) {
      assertNotNull(r, uri);
      assertEquals(ReleaseUri.DESKTOP, r.downloadType());
      assertEquals(desktop.group(1), r.version());
      String os;
      if (uri.contains("linux")) {
        os = ReleaseUri.LINUX;
      } else if (uri.endsWith("msi") || WIN_DIGITS.matcher(uri).matches() || uri.contains("-win-") || WIN_EXT.matcher(uri).matches()) {
        os = ReleaseUri.WINDOWS;
      } else if (MAC_EXT.matcher(uri).matches() || uri.contains("-osx.")) {
        os = ReleaseUri.MAC;
      } else {
        os = ReleaseUri.UNKNOWN;
      }
      assertEquals(os, r.operatingSystem(), uri);
    } else if (server.matches()) {
      assertNotNull(r, uri);
      assertEquals(uri.contains("team") ? ReleaseUri.TEAM : ReleaseUri.ENTERPRISE, r.downloadType(), uri);
      assertEquals(server.group(1), r.version());
      String os = uri.contains("linux") ? ReleaseUri.LINUX : uri.contains("-windows-") ? ReleaseUri.WINDOWS : ReleaseUri.UNKNOWN;
      assertEquals(os, r.operatingSystem(), uri);
    } else {
      assertNull(r, uri);
      return;
    }
    String[] parts = r.version().split("\\.");
    assertEquals(Integer.parseInt(parts[0]), r.major());
    assertEquals(Integer.parseInt(parts[1]), r.minor());
    assertEquals(Integer.parseInt(parts[2]), r.patch());
  }

  /** One line through the parser, checked against the documented order of the rules. */
  private String parse(String raw) {
    Outcome o = lines.parse(raw, 3);
    line.reset(raw, CloudFrontLayout.STANDARD);
    switch (o) {
      case HEADER -> {
        assertTrue(raw.startsWith("#"), raw);
        return "HEADER";
      }
      case DEAD -> {
        String reason = lines.deadReason();
        assertNotNull(reason);
        if (!line.isOk()) {
          assertEquals(line.failureReason(), reason);
        } else {
          assertTrue(
              reason.equals(ReleaseLines.BAD_STATUS) || reason.equals(ReleaseLines.BAD_SC_BYTES)
                  || reason.equals(ReleaseLines.BAD_TIMESTAMP) || reason.equals(ReleaseLines.MISSING_REQUEST_ID),
              reason);
        }
        String redacted = lines.redact(raw);
        String ip = line.isOk() ? line.clientIp() : null;
        if (ip != null && ip.length() > 6 && Arrays.asList(IPS).contains(ip) && !ip.startsWith("999")) {
          assertFalse(redacted.contains(ip), "clear address in a dead letter: " + redacted);
        }
        return "DEAD:" + reason;
      }
      case FILTERED -> {
        int r = lines.filterReason();
        assertTrue(line.isOk());
        boolean get = line.methodIs("GET");
        int status = line.statusCode();
        boolean ok2xx = status >= 200 && status <= 299;
        long bytes = line.bytesSent();
        boolean big = bytes > ReleaseLines.MIN_BYTES;
        boolean version = ReleaseUri.parse(line.uriStem()) != null;
        switch (r) {
          case ReleaseLines.NOT_GET -> assertFalse(get);
          case ReleaseLines.NOT_2XX -> assertTrue(get && status >= 0 && !ok2xx);
          case ReleaseLines.TOO_SMALL -> assertTrue(get && ok2xx && bytes >= 0 && !big);
          case ReleaseLines.NO_VERSION -> assertTrue(get && ok2xx && big && !version);
          case ReleaseLines.OUTSIDE_DATE_RANGE -> assertTrue(get && ok2xx && big && version
              && (line.epochDay() < DAY - 1 || line.epochDay() > DAY + 1));
          default -> throw new AssertionError("filter reason " + r);
        }
        return "FILTERED:" + r;
      }
      default -> {
        ReleaseDownload d = lines.record();
        assertTrue(line.isOk() && line.methodIs("GET"));
        assertTrue(d.status() >= 200 && d.status() <= 299);
        assertEquals(line.statusCode(), d.status());
        assertEquals(line.bytesSent(), d.responseBytes());
        assertTrue(d.responseBytes() > ReleaseLines.MIN_BYTES);
        assertEquals(line.uriStem(), d.uri());
        ReleaseUri u = ReleaseUri.parse(d.uri());
        assertEquals(u.downloadType() + "/" + u.operatingSystem() + "/" + u.version(),
            d.downloadType() + "/" + d.operatingSystem() + "/" + d.version());
        assertEquals(line.eventTimeMillis(), d.eventTimeMillis());
        assertEquals(line.epochDay(), d.logEpochDay());
        assertEquals(Math.floorDiv(d.eventTimeMillis(), 86_400_000L), d.logEpochDay());
        assertEquals(line.requestId(), d.requestId());
        assertNotNull(d.requestId());
        assertEquals(line.clientIp(), d.clientIp());
        if (d.userAgent() != null && !d.userAgent().isEmpty()) {
          Client c = uaParser.parse(d.userAgent());
          assertEquals(c.userAgent == null ? UserAgentParser.OTHER : c.userAgent.family, d.browserFamily(), d.userAgent());
          assertEquals(c.os == null ? UserAgentParser.OTHER : c.os.family, d.uaOsFamily(), d.userAgent());
          assertEquals(c.device != null && "Spider".equals(c.device.family), d.bot(), d.userAgent());
        }
        return "RECORD:" + d;
      }
    }
  }

  /** The template's fields, some replaced by fuzzed text, the line sometimes cut or extended. */
  private static String line(FuzzedDataProvider data) {
    String[] f = TEMPLATE.split("\t", -1);
    int edits = data.consumeInt(0, 6);
    for (int e = 0; e < edits; e++) {
      CloudFrontField field = data.pickValue(CloudFrontField.values());
      int i = CloudFrontLayout.STANDARD.index(field);
      if (i < 0) {
        continue;
      }
      f[i] =
          switch (field) {
            case URI_STEM -> pieces(data, URI_PIECES);
            case CLIENT_IP -> data.pickValue(IPS);
            case USER_AGENT -> data.consumeBoolean() ? data.pickValue(UAS) : data.consumeString(40);
            case METHOD -> data.pickValue(new String[] {"GET", "HEAD", "get", "POST", ""});
            case STATUS -> data.pickValue(new String[] {"200", "206", "299", "300", "199", "-", "2000", "abc", "-200"});
            case SC_BYTES -> data.pickValue(new String[] {"1000000", "1000001", "0", "-", "99999999999999999999", "-5"});
            case DATE -> data.pickValue(new String[] {"2024-05-05", "2024-05-07", "2024-05-08", "2024-02-30", "x"});
            case REQUEST_ID -> data.pickValue(new String[] {"-", "", "Zx1c=="});
            default -> data.consumeString(20).replace("\t", " ").replace("\n", " ").replace("\r", " ");
          };
    }
    int keep = data.consumeBoolean() ? f.length : data.consumeInt(0, f.length);
    String raw = String.join("\t", Arrays.copyOf(f, keep));
    return data.consumeBoolean() ? raw + data.pickValue(new String[] {"\r", "\t", "\tx"}) : raw;
  }

  private static String pieces(FuzzedDataProvider data, String[] pieces) {
    StringBuilder b = new StringBuilder();
    int n = data.consumeInt(0, 8);
    for (int i = 0; i < n; i++) {
      b.append(data.consumeBoolean() ? data.pickValue(pieces) : data.consumeString(6));
    }
    return b.toString();
  }
}
