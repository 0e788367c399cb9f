package dw.fuzz;

import dw.transforms.cloudfront.CloudFrontField;
import dw.transforms.cloudfront.CloudFrontLayout;
import dw.transforms.cloudfront.CloudFrontLine;
import dw.transforms.cloudfront.TestLines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of the CloudFront line cursor and the {@code #Fields:} header parser
 * (Jazzer). Every input ends as a layout or an {@link IllegalArgumentException} (the reading step
 * dead-letters it as {@code bad_fields_header}), and every line as a cursor whose fields equal a
 * plain {@code split("\t")} of the line, or one of the two documented failure reasons. No other
 * exception may escape. Field values are stable: resetting to another line and back, or writing
 * the fields back out as a line and parsing that, gives the same values.
 *
 * <p>In the normal suite this runs the committed corpus ({@code CloudFrontLineFuzzTestInputs/})
 * and, in the Surefire {@code fuzz} execution, a few seconds of fuzzing; see docs/reliability.md
 * for a long run.
 */
class CloudFrontLineFuzzTest {
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final Pattern TIME = Pattern.compile("[0-9]{2}:[0-9]{2}:[0-9]{2}");
  private static final Set<String> FAILURES =
      Set.of(CloudFrontLine.TOO_FEW_FIELDS, CloudFrontLine.EMPTY_LINE);

  /** Created in the test, not at class load: Jazzer instruments classes loaded after its agent. */
  private CloudFrontLine cursor;

  @FuzzTest(maxDuration = "10s")
  void lineAndHeader(FuzzedDataProvider data) {
    if (cursor == null) {
      cursor = new CloudFrontLine();
    }
    CloudFrontLayout layout = layout(data);
    if (layout == null) {
      return;
    }
    String raw = line(data, layout);
    check(raw, layout);
  }

  /** A layout: the standard one, or one parsed from a fuzzed {@code #Fields:} header. */
  private static CloudFrontLayout layout(FuzzedDataProvider data) {
    if (data.consumeBoolean()) {
      return CloudFrontLayout.STANDARD;
    }
    int n = data.consumeInt(0, 40);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add(
          data.consumeBoolean()
              ? CloudFrontLayout.STANDARD_FIELD_NAMES.get(
                  data.consumeInt(0, CloudFrontLayout.STANDARD_FIELD_NAMES.size() - 1))
              : data.consumeString(12));
    }
    String sep = data.pickValue(new String[] {" ", "\t", "  ", " \t "});
    String header =
        data.pickValue(new String[] {"#Fields:", "#fields:", "#FIELDS: ", "#Fields"})
            + sep
            + String.join(sep, names)
            + data.pickValue(new String[] {"", "\r", " ", "\t"});
    boolean isFields = CloudFrontLayout.isFieldsHeader(header);
    assertTrue(CloudFrontLayout.isHeader(header));
    CloudFrontLayout layout;
    try {
      layout = CloudFrontLayout.fromFieldsHeader(header);
    } catch (IllegalArgumentException e) {
      assertNotNull(e.getMessage());
      assertTrue(e.getMessage().length() < 600, "message of a bounded size");
      assertFalse(isFields && acceptable(splitHeader(header)), () -> "rejected a good header: " + header);
      return null;
    }
    assertTrue(isFields);
    List<String> split = splitHeader(header);
    assertTrue(acceptable(split), () -> "accepted a bad header: " + header);
    assertEquals(split, layout.fieldNames());
    for (CloudFrontField f : CloudFrontField.values()) {
      assertEquals(firstIndexIgnoringCase(split, f.headerName()), layout.index(f), f.headerName());
    }
    return layout;
  }

  /** The names of a header line, split the plain way (the oracle). */
  private static List<String> splitHeader(String header) {
    List<String> out = new ArrayList<>();
    for (String s : header.substring("#Fields:".length()).split("[ \t\r\n]+")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /** Every required field once, no mapped field twice (the documented rule). */
  private static boolean acceptable(List<String> names) {
    for (CloudFrontField f : CloudFrontField.values()) {
      long count =
          names.stream().filter(n -> n.toLowerCase(Locale.ROOT).equals(f.headerName().toLowerCase(Locale.ROOT))).count();
      if (count > 1 || (f.required() && count == 0)) {
        return false;
      }
    }
    return true;
  }

  private static int firstIndexIgnoringCase(List<String> names, String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /** A data line: fields drawn from realistic pieces or arbitrary text, TAB-joined. */
  /**
   * A line as the reader hands it over: readLine() ends lines at CR, LF or CRLF, so a line never
   * holds one inside; only its end may carry one (the cursor's own line-end handling).
   */
  private static String line(FuzzedDataProvider data, CloudFrontLayout layout) {
    if (data.consumeBoolean()) {
      return noLineBreaks(data.consumeRemainingAsString());
    }
    int n = data.consumeInt(0, layout.fieldCount() + 3);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append('\t');
      }
      String name = i < layout.fieldCount() ? layout.fieldNames().get(i) : "";
      sb.append(data.consumeBoolean() ? plausible(name, data) : noLineBreaks(data.consumeString(24)));
    }
    sb.append(data.pickValue(new String[] {"", "\r", "\r\n", "\t", "\n"}));
    return sb.toString();
  }

  private static String noLineBreaks(String s) {
    return s.replace('\r', ' ').replace('\n', ' ');
  }

  private static String plausible(String name, FuzzedDataProvider data) {
    switch (name) {
      case "date":
        return String.format(
            "%04d-%02d-%02d", data.consumeInt(0, 9999), data.consumeInt(0, 13), data.consumeInt(0, 32));
      case "time":
        return String.format(
            "%02d:%02d:%02d", data.consumeInt(0, 25), data.consumeInt(0, 61), data.consumeInt(0, 61));
      case "sc-status":
      case "sc-bytes":
        return Long.toString(data.consumeLong());
      default:
        return data.pickValue(new String[] {"-", "", "GET", "/security", "Go-http-client/1.1", "id=a&auc=1"});
    }
  }

  private void check(String raw, CloudFrontLayout layout) {
    boolean ok = cursor.reset(raw, layout);
    assertEquals(ok, cursor.isOk());
    String stripped = stripLineEnd(raw);
    String[] fields = stripped.split("\t", -1);
    boolean blank = stripped.chars().allMatch(c -> c == ' ' || c == '\t');
    if (!ok) {
      assertTrue(FAILURES.contains(cursor.failureReason()), cursor.failureReason());
      if (blank) {
        assertEquals(CloudFrontLine.EMPTY_LINE, cursor.failureReason());
      } else {
        assertEquals(CloudFrontLine.TOO_FEW_FIELDS, cursor.failureReason());
        assertTrue(fields.length < layout.requiredFieldCount());
      }
      return;
    }
    assertNull(cursor.failureReason());
    assertFalse(blank);
    assertTrue(fields.length >= layout.requiredFieldCount());
    List<String> values = values(raw, layout, fields);

    // stable: another line in between, then the same line again
    cursor.reset(TestLines.NORMAL_EARLY, CloudFrontLayout.STANDARD);
    assertTrue(cursor.reset(raw, layout));
    assertEquals(values, values(raw, layout, fields));

    // parse -> write -> parse: the fields written back as a line read the same
    String[] rebuilt = new String[layout.requiredFieldCount()];
    for (int i = 0; i < rebuilt.length; i++) {
      rebuilt[i] = "-";
    }
    for (CloudFrontField f : CloudFrontField.values()) {
      String v = cursor.get(f);
      if (v != null) {
        rebuilt[layout.index(f)] = v;
      }
    }
    String again = String.join("\t", rebuilt);
    assertTrue(cursor.reset(again, layout), again);
    assertEquals(values, values(again, layout, again.split("\t", -1)));
  }

  private static String stripLineEnd(String raw) {
    int len = raw.length();
    while (len > 0 && (raw.charAt(len - 1) == '\r' || raw.charAt(len - 1) == '\n')) {
      len--;
    }
    return raw.substring(0, len);
  }

  /** Checks every accessor against the split fields and returns the values for comparisons. */
  private List<String> values(String raw, CloudFrontLayout layout, String[] fields) {
    List<String> out = new ArrayList<>();
    for (CloudFrontField f : CloudFrontField.values()) {
      int idx = layout.index(f);
      String expected = idx < 0 ? null : fields[idx];
      if (expected != null && (expected.isEmpty() || expected.equals("-"))) {
        expected = null;
      }
      String actual = cursor.get(f);
      assertEquals(expected, actual, f.headerName());
      assertEquals(actual != null, cursor.isPresent(f));
      if (actual != null) {
        assertEquals(actual, raw.substring(cursor.start(f), cursor.end(f)));
        assertTrue(cursor.fieldIs(f, actual));
        assertTrue(cursor.fieldStartsWith(f, actual));
        assertTrue(cursor.fieldContains(f, actual));
      } else {
        assertEquals(-1, cursor.start(f));
        assertEquals(-1, cursor.end(f));
      }
      out.add(actual);
    }
    int status = cursor.statusCode();
    assertTrue(status >= -1 && status <= 999, "status " + status);
    String rawStatus = cursor.status();
    assertEquals(
        rawStatus != null && rawStatus.matches("[0-9]{1,3}") ? Integer.parseInt(rawStatus) : -1, status);
    String rawBytes = cursor.get(CloudFrontField.SC_BYTES);
    assertEquals(
        rawBytes != null && rawBytes.matches("[0-9]{1,18}") ? Long.parseLong(rawBytes) : -1L,
        cursor.bytesSent());
    long millis = cursor.eventTimeMillis();
    int day = cursor.epochDay();
    long expectedMillis = referenceEventTime(cursor.date(), cursor.time());
    assertEquals(expectedMillis, millis, () -> cursor.date() + " " + cursor.time());
    assertEquals(
        expectedMillis == Long.MIN_VALUE ? Integer.MIN_VALUE : (int) Math.floorDiv(expectedMillis, 86_400_000L),
        day);
    out.add(Long.toString(millis));
    return out;
  }

  /** The oracle: java.time, strict, ASCII digits only, no leap second. */
  private static long referenceEventTime(String date, String time) {
    if (date == null || time == null || !DATE.matcher(date).matches() || !TIME.matcher(time).matches()) {
      return Long.MIN_VALUE;
    }
    try {
      LocalDate d =
          LocalDate.of(
              Integer.parseInt(date.substring(0, 4)),
              Integer.parseInt(date.substring(5, 7)),
              Integer.parseInt(date.substring(8, 10)));
      LocalTime t =
          LocalTime.of(
              Integer.parseInt(time.substring(0, 2)),
              Integer.parseInt(time.substring(3, 5)),
              Integer.parseInt(time.substring(6, 8)));
      return d.toEpochDay() * 86_400_000L + t.toSecondOfDay() * 1000L;
    } catch (java.time.DateTimeException e) {
      return Long.MIN_VALUE;
    }
  }
}
