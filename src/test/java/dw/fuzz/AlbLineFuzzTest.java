package dw.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dw.transforms.alb.AlbField;
import dw.transforms.alb.AlbLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of {@link AlbLine} on lines derived from an AWS-documented entry by
 * replacing fields with fuzzed text (quoted or not), cutting or extending the line, and on raw
 * fuzzed text. Every line is either an entry or a failure reason from the documented set (the
 * other formats named); no exception escapes any accessor; the fields equal those of a plain
 * tokenizer written here from AWS's description (space-separated, double-quoted strings with
 * backslash escapes); numbers and times equal {@link BigDecimal} and java.time readings of the
 * text; parsing the same line again, after another, gives the same values.
 */
class AlbLineFuzzTest {
  private static final String TG =
      "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067";
  /** AWS's HTTPS example, with the client on IPv6 and the newer trailing fields. */
  private static final String TEMPLATE =
      "https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 [2001:db8::1]:2817"
          + " 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 \"POST https://www.example.com:443/api/v1/send HTTP/1.1\""
          + " \"curl/7.46.0 \\\"x\\\"\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 " + TG
          + " \"Root=1-58337281-1d84f3d73c47ec4e58577259\" \"www.example.com\" \"-\" 1"
          + " 2018-07-02T22:22:48.364000Z \"authenticate,forward\" \"-\" \"-\" \"10.0.0.1:80\" \"200\""
          + " \"Acceptable\" \"-\" TID_1234 \"-\" \"-\" \"-\"";
  private static final Set<String> REASONS =
      Set.of(
          AlbLine.EMPTY_LINE, AlbLine.TOO_FEW_FIELDS, AlbLine.UNTERMINATED_QUOTE, AlbLine.BAD_TIMESTAMP,
          AlbLine.CLASSIC_ELB, AlbLine.NLB, AlbLine.ALB_CONNECTION_LOG, AlbLine.UNKNOWN_FORMAT);
  private static final AlbField[] NUMERIC = {
    AlbField.REQUEST_PROCESSING_TIME, AlbField.TARGET_PROCESSING_TIME, AlbField.RESPONSE_PROCESSING_TIME,
    AlbField.ELB_STATUS_CODE, AlbField.TARGET_STATUS_CODE, AlbField.RECEIVED_BYTES, AlbField.SENT_BYTES
  };
  private static final String[] PIECES = {
    "-", "-1", "0", "0.000", "200", "99999999999999999999", "9223372036854775807", "1.5", ".", "-.5",
    "2026-02-29T00:00:00Z", "2024-02-29T23:59:60.5Z", "2026-13-01T00:00:00.000000Z", "2026-01-01T00:00:00.Z",
    "\"", "\\", "\\\"", " ", "  ", "app/", "net/x/1", "http", "h2", "tls", "[::1]:80", "1.2.3.4:99999999999",
    "GET https://h:443/api/v1/send HTTP/1.1", "POST /x HTTP/2.0", "?a=b", "#", "://", "\r", "\u00e9"
  };
  private static final Pattern TIME =
      Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d+))?Z");
  private static final Pattern NUMBER = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)");

  /** Created in the test, not at class load: Jazzer instruments classes loaded after its agent. */
  private AlbLine line;

  @FuzzTest(maxDuration = "10s")
  void parse(FuzzedDataProvider data) {
    if (line == null) {
      line = new AlbLine();
    }
    String raw = data.consumeBoolean() ? fromTemplate(data) : data.consumeRemainingAsString();
    Result first = read(raw);
    read(TEMPLATE);
    assertEquals(first, read(raw), raw);
  }

  private record Result(String reason, List<String> values) {}

  private Result read(String raw) {
    boolean ok = line.reset(raw);
    List<String[]> tokens = tokens(raw);
    if (!ok) {
      String r = line.failureReason();
      assertNotNull(r, raw);
      assertTrue(REASONS.contains(r) || r.startsWith(AlbLine.BAD_NUMBER + ": "), r);
      if (tokens == null) {
        assertEquals(AlbLine.UNTERMINATED_QUOTE, r, raw);
      } else if (tokens.isEmpty()) {
        assertEquals(AlbLine.EMPTY_LINE, r, raw);
      }
      return new Result(r, null);
    }
    assertNull(line.failureReason());
    assertNotNull(tokens, "the tokenizer finds an unterminated quote in " + raw);
    int known = AlbField.values().length;
    assertTrue(tokens.size() >= AlbField.REQUIRED, raw);
    assertEquals(Math.min(tokens.size(), known), line.fieldCount(), raw);
    assertEquals(Math.max(0, tokens.size() - known), line.extraFieldCount(), raw);
    assertTrue(Set.of("http", "https", "h2", "grpcs", "ws", "wss").contains(raw(tokens, AlbField.TYPE)), raw);
    assertTrue(raw(tokens, AlbField.ELB).startsWith("app/"), raw);
    List<String> values = new ArrayList<>();
    for (AlbField f : AlbField.values()) {
      String expected = f.ordinal() < tokens.size() && !raw(tokens, f).equals("-") ? tokens.get(f.ordinal())[0] : null;
      assertEquals(expected, line.text(f), f.docName() + " of " + raw);
      values.add(line.text(f));
    }
    assertEquals(micros(raw(tokens, AlbField.TIME)), line.eventTimeMicros(), "time of " + raw);
    long created = line.has(AlbField.REQUEST_CREATION_TIME) ? micros(raw(tokens, AlbField.REQUEST_CREATION_TIME)) : Long.MIN_VALUE;
    assertEquals(created, line.requestCreationMicros(), raw);
    for (AlbField f : NUMERIC) {
      String t = f.ordinal() < tokens.size() ? raw(tokens, f) : "-";
      assertTrue(t.equals("-") || NUMBER.matcher(t).matches(), f.docName() + " accepted: " + t);
      BigDecimal n = t.startsWith("-") ? null : new BigDecimal(t.endsWith(".") ? t + "0" : t);
      // a number the parser accepted fits: no total wraps around
      assertEquals(n == null ? -1 : n.setScale(0, RoundingMode.DOWN).longValueExact(), line.number(f), f.docName());
      if (f.ordinal() <= AlbField.RESPONSE_PROCESSING_TIME.ordinal()) {
        long us = n == null ? -1 : n.movePointRight(6).setScale(0, RoundingMode.DOWN).longValueExact();
        assertEquals(us, line.durationMicros(f), f.docName());
        assertEquals(us < 0 ? -1 : (us + 500) / 1000, line.durationMillis(f), f.docName());
      } else if (f == AlbField.ELB_STATUS_CODE || f == AlbField.TARGET_STATUS_CODE) {
        assertEquals(line.number(f), line.status(f), f.docName());
      }
      values.add(String.valueOf(line.number(f)));
    }
    if (tokens.get(AlbField.CLIENT_PORT.ordinal())[0].equals(raw(tokens, AlbField.CLIENT_PORT))) {
      checkClient(raw(tokens, AlbField.CLIENT_PORT)); // no escapes: the address accessors read the raw text
    }
    String request = raw(tokens, AlbField.REQUEST);
    if (tokens.get(AlbField.REQUEST.ordinal())[0].equals(request)) {
      checkRequest(request);
    }
    String elb = raw(tokens, AlbField.ELB);
    int slash = elb.lastIndexOf('/');
    assertEquals(slash > 4 ? elb.substring(0, slash) : elb, line.loadBalancer());
    values.add(line.loadBalancer() + "|" + line.clientIp() + "|" + line.clientPort() + "|" + line.method() + "|"
        + line.url() + "|" + line.path() + "|" + line.protocol() + "|" + line.requestWellFormed());
    return new Result(null, values);
  }

  /** The field's text as written (inside its quotes, escapes kept). */
  private static String raw(List<String[]> tokens, AlbField f) {
    return tokens.get(f.ordinal())[1];
  }

  private void checkClient(String t) {
    if (t.equals("-")) {
      assertNull(line.clientIp());
      assertEquals(-1, line.clientPort());
      return;
    }
    int colon = t.lastIndexOf(':');
    String host = colon < 0 ? t : t.substring(0, colon);
    if (host.length() >= 2 && host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String port = colon < 0 ? "" : t.substring(colon + 1);
    int expected = port.matches("\\d{1,5}") && Integer.parseInt(port) <= 65535 ? Integer.parseInt(port) : -1;
    if (line.text(AlbField.CLIENT_PORT).equals(t)) { // no escapes: the accessors read the raw text
      assertEquals(host, line.clientIp(), t);
      assertEquals(expected, line.clientPort(), t);
    }
  }

  private void checkRequest(String r) {
    String[] p = r.split(" ", -1);
    boolean wellFormed = r.indexOf(' ') > 0 && r.indexOf(' ') < r.lastIndexOf(' ') && !r.startsWith("- ");
    assertEquals(wellFormed, line.requestWellFormed(), r);
    if (!wellFormed) {
      assertNull(line.method());
      assertNull(line.path());
      return;
    }
    int s1 = r.indexOf(' ');
    int s2 = r.lastIndexOf(' ');
    assertEquals(p[0], line.method());
    assertTrue(line.methodIs(p[0]));
    String url = r.substring(s1 + 1, s2);
    assertEquals(url, line.url());
    assertEquals(r.substring(s2 + 1), line.protocol());
    int scheme = url.indexOf("://");
    String rest = url;
    if (scheme >= 0) {
      int slash = url.indexOf('/', scheme + 3);
      rest = slash < 0 ? "" : url.substring(slash);
    }
    int q = indexOfAny(rest, '?', '#');
    String path = q < 0 ? rest : rest.substring(0, q);
    assertEquals(path.isEmpty() ? "/" : path, line.path(), r);
    assertTrue(line.pathEndsWith(path));
  }

  private static int indexOfAny(String s, char a, char b) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == a || s.charAt(i) == b) {
        return i;
      }
    }
    return -1;
  }

  /** ISO 8601 UTC with optional fraction (kept to microseconds) read by java.time; a leap second is the next minute's first. */
  private static long micros(String t) {
    Matcher m = TIME.matcher(t);
    if (!m.matches()) {
      return Long.MIN_VALUE;
    }
    int year = Integer.parseInt(m.group(1));
    int month = Integer.parseInt(m.group(2));
    int day = Integer.parseInt(m.group(3));
    int hour = Integer.parseInt(m.group(4));
    int minute = Integer.parseInt(m.group(5));
    int second = Integer.parseInt(m.group(6));
    if (month < 1 || month > 12 || day < 1 || day > LocalDate.of(year, month, 1).lengthOfMonth()
        || hour > 23 || minute > 59 || second > 60) {
      return Long.MIN_VALUE;
    }
    String frac = m.group(7) == null ? "" : m.group(7);
    long f = Long.parseLong((frac + "000000").substring(0, 6));
    LocalDateTime dt = LocalDateTime.of(year, month, day, hour, minute, 0);
    return dt.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + second * 1_000_000L + f;
  }

  /**
   * The fields as AWS describes them: separated by spaces (runs of spaces are one separator),
   * a field starting with a double quote runs to the next unescaped quote ({@code \x} stands for
   * {@code x}), which must end the field; null for an unterminated or glued quote. CR/LF at the end
   * of the line are not part of it.
   */
  static List<String[]> tokens(String raw) {
    String s = raw.replaceAll("[\r\n]+$", "");
    List<String[]> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      if (s.charAt(i) == ' ') {
        i++;
        continue;
      }
      StringBuilder b = new StringBuilder();
      int start = s.charAt(i) == '"' ? i + 1 : i;
      int end;
      if (s.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= s.length()) {
            return null;
          }
          char c = s.charAt(i);
          if (c == '\\') {
            if (i + 1 >= s.length()) {
              return null;
            }
            b.append(s.charAt(i + 1));
            i += 2;
          } else if (c == '"') {
            end = i;
            i++;
            break;
          } else {
            b.append(c);
            i++;
          }
        }
        if (i < s.length() && s.charAt(i) != ' ') {
          return null;
        }
      } else {
        while (i < s.length() && s.charAt(i) != ' ') {
          b.append(s.charAt(i++));
        }
        end = i;
      }
      out.add(new String[] {b.toString(), s.substring(start, end)});
    }
    return out;
  }

  /** The template's fields, some replaced by fuzzed text (quoted or not), the line cut or extended. */
  private static String fromTemplate(FuzzedDataProvider data) {
    List<String> raw = rawFields(TEMPLATE);
    int edits = data.consumeInt(0, 6);
    for (int e = 0; e < edits; e++) {
      int i = data.consumeInt(0, raw.size() - 1);
      String v;
      if (data.consumeBoolean()) {
        v = data.pickValue(PIECES);
      } else if (data.consumeBoolean()) {
        v = data.consumeString(30);
      } else {
        StringBuilder b = new StringBuilder();
        int n = data.consumeInt(1, 4);
        for (int k = 0; k < n; k++) {
          b.append(data.pickValue(PIECES));
        }
        v = b.toString();
      }
      raw.set(i, data.consumeBoolean() ? "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : v);
    }
    int keep = data.consumeBoolean() ? raw.size() : data.consumeInt(0, raw.size());
    String line = String.join(data.consumeBoolean() ? " " : "  ", raw.subList(0, keep));
    return data.consumeBoolean() ? line + data.pickValue(new String[] {"\r", " ", " extra \"x y\"", "\r\n"}) : line;
  }

  /** The template split into its fields as written (quotes kept). */
  private static List<String> rawFields(String line) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < line.length()) {
      int start = i;
      if (line.charAt(i) == '"') {
        i++;
        while (line.charAt(i) != '"') {
          i += line.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
      } else {
        while (i < line.length() && line.charAt(i) != ' ') {
          i++;
        }
      }
      out.add(line.substring(start, i));
      i++;
    }
    return out;
  }
}
