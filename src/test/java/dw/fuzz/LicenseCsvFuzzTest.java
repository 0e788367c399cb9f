package dw.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dw.transforms.licenses.LicenseCsv;
import dw.transforms.licenses.LicenseRow;
import dw.transforms.logs.LineParser.Outcome;
import dw.transforms.privacy.EmailPolicy;
import dw.transforms.privacy.IpPseudonymizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of {@link LicenseCsv} on whole exports written here: a header with the
 * eight columns in a fuzzed order and case (extra columns, sometimes one missing, a byte-order
 * mark), rows of fuzzed values written by an RFC 4180 writer of this test (quoted when they hold
 * a comma, quote or line break, which then spans physical lines), rows with a wrong field count,
 * CRLF line ends; and on raw fuzzed lines after a good header.
 *
 * <p>The expected outcome of every physical line comes from the documented rules applied to the
 * values the test wrote (never from the parser): continuation lines filtered, the record on its
 * last line, the first failing check's dead reason, numbers that are integers fitting a long and
 * lying in years 0001-9999, the first copy of a license id kept. Records carry exactly the written
 * values (trimmed, empty as null); dead letters' raw lines hold no written e-mail address; no
 * exception escapes; the same file parsed again gives the same outcomes.
 */
class LicenseCsvFuzzTest {
  private static final List<String> COLUMNS = LicenseCsv.REQUIRED;
  private static final String[] PIECES = {
    ",", "\"", "\"\"", "\n", " ", "-", "0", "1", "-1", "1700000000000", "9223372036854775807",
    "99999999999999999999", "-9223372036854775808", "253402300800000", "+5", "1e3", "a@b.example",
    "ann.lee@example.com", "@", "x@", "\u00e9", "\t", "LIC-1", "LIC-2", "CUS-1", "#"
  };
  private static final Pattern PLAIN_EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[a-z]{2,}");
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
  private static final long MIN_MILLIS = Instant.parse("0001-01-01T00:00:00Z").toEpochMilli();
  private static final long MAX_MILLIS = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

  /** Created in the test, not at class load: Jazzer instruments classes loaded after its agent. */
  private LicenseCsv csv;

  @FuzzTest(maxDuration = "10s")
  void export(FuzzedDataProvider data) {
    if (csv == null) {
      byte[] key = new byte[32];
      csv = new LicenseCsv(new EmailPolicy(new IpPseudonymizer(key), false));
    }
    boolean raw = data.consumeBoolean();
    Export e = raw ? rawExport(data) : writtenExport(data);
    List<String> first = run(e);
    assertEquals(first, run(e), "parsed again");
  }

  /** The physical lines, the expected outcome of each ("HEADER", "RECORD", "FILTERED:<i>", "DEAD:<reason>") or null when not predicted, and the expected records. */
  private record Export(List<String> lines, List<String> expected, List<List<String>> records, Set<String> emails) {}

  private List<String> run(Export e) {
    csv.startFile("s3://b/2026-01-02/licenses2026-01-02.csv", 20455);
    List<String> outcomes = new ArrayList<>();
    int record = 0;
    for (int i = 0; i < e.lines().size(); i++) {
      String line = e.lines().get(i);
      Outcome o = csv.parse(line, i + 1);
      assertNotNull(o);
      String got =
          switch (o) {
            case HEADER -> "HEADER";
            case RECORD -> "RECORD";
            case FILTERED -> "FILTERED:" + csv.filterReason();
            case DEAD -> "DEAD:" + csv.deadReason();
          };
      String want = e.expected().get(i);
      if (want != null) {
        assertEquals(want, want.startsWith("DEAD:") && got.startsWith("DEAD:") ? cut(got, want) : got, "line " + (i + 1) + ": " + line + " under " + e.lines().get(0));
      }
      if (o == Outcome.FILTERED) {
        assertTrue(csv.filterReason() >= 0 && csv.filterReason() < LicenseCsv.FILTER_REASONS.size());
      } else if (o == Outcome.DEAD) {
        assertFalse(csv.deadReason().isEmpty());
        String redacted = csv.redact(line);
        for (String email : e.emails()) {
          assertFalse(redacted.contains(email), "e-mail in a dead letter: " + redacted);
        }
      } else if (o == Outcome.RECORD) {
        LicenseRow r = csv.record();
        assertNotNull(r.licenseId());
        assertNotNull(r.customerId());
        assertTrue(r.expiresAtMillis() >= r.issuedAtMillis());
        assertEquals(20455L * 86_400_000L, csv.eventTimeMillis());
        List<String> values =
            List.of(
                String.valueOf(r.customerId()), String.valueOf(r.company()), String.valueOf(r.number()),
                String.valueOf(r.email()), String.valueOf(r.stripeId()), String.valueOf(r.licenseId()),
                String.valueOf(r.issuedAtMillis()), String.valueOf(r.expiresAtMillis()));
        if (e.records() != null) {
          assertEquals(e.records().get(record), values, "record " + record);
        }
        record++;
      }
      outcomes.add(got);
    }
    String tail = csv.endOfFile();
    outcomes.add(String.valueOf(tail));
    if (e.records() != null) {
      assertEquals(e.records().size(), record, "records");
      assertEquals(null, tail);
    }
    return outcomes;
  }

  /** A dead reason compared up to the detail the test predicts (the part before ": " when it predicts none). */
  private static String cut(String got, String want) {
    return want.contains(": ") || !got.contains(": ") ? got : got.substring(0, got.indexOf(": "));
  }

  private static Export writtenExport(FuzzedDataProvider data) {
    List<String> header = new ArrayList<>(COLUMNS);
    for (int i = header.size() - 1; i > 0; i--) {
      int j = data.consumeInt(0, i);
      String t = header.get(i);
      header.set(i, header.get(j));
      header.set(j, t);
    }
    if (data.consumeBoolean()) {
      header.add(data.consumeInt(0, header.size()), "extra");
    }
    String missing = null;
    if (data.consumeInt(0, 9) == 0) {
      missing = header.remove(data.consumeInt(0, header.size() - 1));
      if (missing.equals("extra")) {
        missing = null;
      }
    }
    List<String> written = new ArrayList<>();
    for (String h : header) {
      written.add(data.consumeBoolean() ? " " + h.toUpperCase(Locale.ROOT) + " " : h);
    }
    boolean crlf = data.consumeBoolean();
    List<String> lines = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    List<List<String>> records = new ArrayList<>();
    Set<String> emails = new HashSet<>();
    String headerText = String.join(",", written);
    add(lines, expected, (data.consumeBoolean() ? "\uFEFF" : "") + headerText, crlf,
        missing == null ? "HEADER" : "DEAD:" + LicenseCsv.BAD_HEADER + ": missing column " + missing);
    Set<String> kept = new HashSet<>();
    int rows = data.consumeInt(0, 8);
    for (int r = 0; r < rows; r++) {
      if (data.consumeInt(0, 7) == 0) {
        add(lines, expected, data.consumeBoolean() ? "" : "   ", crlf, missing == null ? "FILTERED:" + LicenseCsv.EMPTY_LINE : null);
        continue;
      }
      int fieldCount = data.consumeInt(0, 5) == 0 ? data.consumeInt(1, header.size() + 2) : header.size();
      List<String> values = new ArrayList<>();
      List<String> cells = new ArrayList<>();
      for (int c = 0; c < fieldCount; c++) {
        String v = value(data, c < header.size() ? header.get(c) : "extra");
        values.add(v);
        boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || data.consumeBoolean();
        cells.add(quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
        if (PLAIN_EMAIL.matcher(v).find()) {
          java.util.regex.Matcher m = PLAIN_EMAIL.matcher(v);
          while (m.find()) {
            emails.add(m.group());
          }
        }
      }
      String record = String.join(",", cells);
      if (record.isBlank()) {
        continue; // a blank line is an empty line, not a record of one empty field
      }
      String[] physical = record.split("\n", -1);
      for (int p = 0; p < physical.length - 1; p++) {
        add(lines, expected, physical[p], crlf, missing == null ? "FILTERED:" + LicenseCsv.CONTINUED : null);
      }
      String outcome = missing == null ? outcome(header, values, kept, records) : null;
      add(lines, expected, physical[physical.length - 1], crlf, outcome);
    }
    if (missing != null) {
      for (int i = 1; i < expected.size(); i++) {
        expected.set(i, "DEAD:" + LicenseCsv.BAD_HEADER + ": missing column " + missing);
      }
      records = List.of();
    }
    return new Export(lines, expected, records, emails);
  }

  /** The documented checks, in their order, on the values as written. */
  private static String outcome(List<String> header, List<String> values, Set<String> kept, List<List<String>> records) {
    if (values.size() != header.size()) {
      return "DEAD:wrong_field_count: " + values.size() + " fields, header has " + header.size();
    }
    String[] byColumn = new String[COLUMNS.size()];
    for (int c = 0; c < COLUMNS.size(); c++) {
      String v = values.get(header.indexOf(COLUMNS.get(c))).trim();
      byColumn[c] = v.isEmpty() ? null : v;
    }
    if (byColumn[5] == null) {
      return "DEAD:missing_license_id";
    }
    if (byColumn[0] == null) {
      return "DEAD:missing_customer_id";
    }
    Long issued = millis(byColumn[6]);
    if (issued == null) {
      return "DEAD:bad_issued_at";
    }
    Long expires = millis(byColumn[7]);
    if (expires == null) {
      return "DEAD:bad_expires_at";
    }
    if (expires < issued) {
      return "DEAD:expires_before_issued";
    }
    if (!kept.add(byColumn[5])) {
      return "FILTERED:" + LicenseCsv.DUPLICATE_IN_SNAPSHOT;
    }
    List<String> r = new ArrayList<>();
    for (int c = 0; c < 6; c++) {
      r.add(String.valueOf(byColumn[c]));
    }
    r.add(String.valueOf(issued));
    r.add(String.valueOf(expires));
    records.add(r);
    return "RECORD";
  }

  /** Epoch milliseconds: an optionally negative integer that fits a long, in years 0001-9999 (java.time). */
  private static Long millis(String s) {
    if (s == null || !INTEGER.matcher(s).matches()) {
      return null;
    }
    long v;
    try {
      v = Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
    return v >= MIN_MILLIS && v <= MAX_MILLIS ? v : null;
  }

  private static String value(FuzzedDataProvider data, String column) {
    if ((column.equals("issuedat") || column.equals("expiresat")) && data.consumeBoolean()) {
      return data.consumeBoolean() ? String.valueOf(data.consumeLong()) : String.valueOf(data.consumeLong(0, 4_000_000_000_000L));
    }
    if ((column.equals("licenseid") || column.equals("customerid")) && data.consumeBoolean()) {
      return column.substring(0, 3).toUpperCase(Locale.ROOT) + "-" + data.consumeInt(0, 3);
    }
    StringBuilder b = new StringBuilder();
    int n = data.consumeInt(0, 3);
    for (int i = 0; i < n; i++) {
      b.append(data.consumeBoolean() ? data.pickValue(PIECES) : data.consumeString(12));
    }
    // a line break inside a value is written as LF (the reader splits physical lines there; CR is
    // a line end's); a byte-order mark only means something before the header
    return b.toString().replace("\r", "").replace("\uFEFF", "");
  }

  private static void add(List<String> lines, List<String> expected, String line, boolean crlf, String outcome) {
    lines.add(crlf ? line + "\r" : line);
    expected.add(outcome);
  }

  /** A good header, then fuzzed lines: only the invariants are checked. */
  private static Export rawExport(FuzzedDataProvider data) {
    List<String> lines = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    lines.add(String.join(",", COLUMNS));
    expected.add("HEADER");
    for (String l : data.consumeRemainingAsString().split("\n", -1)) {
      lines.add(l);
      expected.add(null);
    }
    return new Export(lines, expected, null, Set.of());
  }
}
