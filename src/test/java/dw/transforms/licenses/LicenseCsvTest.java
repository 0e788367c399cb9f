package dw.transforms.licenses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Header mapping, CSV quoting and row validation of the license exports (domain.md §4). */
class LicenseCsvTest {
  private static final int DAY = 18263; // 2020-01-02

  /** Feeds lines; returns one outcome text per line ("row:<id>@<line>", "filtered:<code>", "dead:<reason>"). */
  private static List<String> run(LicenseCsv csv, String... lines) {
    csv.startFile("f.csv", DAY);
    List<String> out = new ArrayList<>();
    long n = 0;
    for (String l : lines) {
      n++;
      switch (csv.parse(l, n)) {
        case HEADER -> out.add("header");
        case RECORD -> out.add("row:" + csv.record().licenseId() + "@" + csv.record().lineNumber());
        case FILTERED -> out.add("filtered:" + LicenseCsv.FILTER_REASONS.get(csv.filterReason()));
        case DEAD -> out.add("dead:" + csv.deadReason());
      }
    }
    return out;
  }

  @Test
  void theOriginalsExampleFile() {
    // original-system.md §7.4 (a second day's snapshot repeats the first row)
    LicenseCsv csv = new LicenseCsv(null);
    List<String> out =
        run(
            csv,
            "customerid,company,number,email,stripeid,licenseid,issuedat,expiresat",
            "wj3drgzdpnf54rxf5d8qd3dqne,Example Corp,10234,it-admin@example.com,cus_GabcDEF123xyz,14j8umgczgrdp95w77zuxmxfu9,1546300800000,1577836800000",
            "saqjfmjqqy9mo1yj4zwed73333,Globex GmbH,10402,admin@globex.example,,g63dcrphk8idgyjgzbrpajosz6,1572566400000,1604188800000",
            "wj3drgzdpnf54rxf5d8qd3dqne,Example Corp,10234,it-admin@example.com,cus_GabcDEF123xyz,14j8umgczgrdp95w77zuxmxfu9,1546300800000,1577836800000");
    assertEquals(
        List.of(
            "header",
            "row:14j8umgczgrdp95w77zuxmxfu9@2",
            "row:g63dcrphk8idgyjgzbrpajosz6@3",
            "filtered:duplicate_in_snapshot"),
        out);
  }

  @Test
  void columnsByNameInAnyOrderWithBomCrlfAndQuoting() {
    LicenseCsv csv = new LicenseCsv(null);
    List<String> out =
        run(
            csv,
            "\uFEFFLicenseId, expiresat ,issuedat,EMAIL,company,number,stripeid,customerid,extra\r",
            "L1,1600000000000,1500000000000,A@B.example,\"Acme, Inc.\",7,cus_1,C1,x\r",
            "L2,1600000000000,1500000000000,b@b.example,\"The \"\"Best\"\" Co",
            "second line\",8,,C2,y",
            "",
            "L3,1600000000000,1600000000000,,,,,C3,");
    assertEquals(
        List.of(
            "header",
            "row:L1@2",
            "filtered:continued_on_next_line",
            "row:L2@3",
            "filtered:empty_line",
            "row:L3@6"),
        out);
    csv.startFile("g.csv", DAY);
    csv.parse("\uFEFFLicenseId,expiresat,issuedat,email,company,number,stripeid,customerid", 1);
    csv.parse("L2,1600000000000,1500000000000, B@b.example ,\"The \"\"Best\"\" Co", 2);
    csv.parse("second line\",8,,C2", 3);
    LicenseRow r = csv.record();
    assertEquals("The \"Best\" Co\nsecond line", r.company());
    assertEquals("B@b.example", r.email());
    assertNull(r.stripeId());
    assertEquals("8", r.number());
    assertEquals(1500000000000L, r.issuedAtMillis());
    assertEquals(DAY, r.snapshotEpochDay());
    assertEquals(2, r.lineNumber());
  }

  @Test
  void aMissingColumnFailsTheWholeFileNamingIt() {
    LicenseCsv csv = new LicenseCsv(null);
    List<String> out =
        run(
            csv,
            "customerid,company,number,email,stripeid,licenseid,issuedat",
            "C1,Acme,1,a@b.c,cus,L1,1500000000000",
            "C2,Acme,1,a@b.c,cus,L2,1500000000000");
    assertEquals(3, out.size());
    for (String o : out) {
      assertEquals("dead:bad_header: missing column expiresat", o);
    }
  }

  @Test
  void invalidRowsAreDeadLettersWithTheirReason() {
    LicenseCsv csv = new LicenseCsv(null);
    List<String> out =
        run(
            csv,
            "customerid,company,number,email,stripeid,licenseid,issuedat,expiresat",
            "C1,Acme,1,a@b.c,cus,,1500000000000,1600000000000",
            "  ,Acme,1,a@b.c,cus,L2,1500000000000,1600000000000",
            "C3,Acme,1,a@b.c,cus,L3,2020-01-01,1600000000000",
            "C4,Acme,1,a@b.c,cus,L4,1500000000000,soon",
            "C5,Acme,1,a@b.c,cus,L5,1600000000000,1500000000000",
            "C6,Acme,1,a@b.c,cus,L6,1500000000000",
            "C7,Acme,1,a@b.c,cus,L7,1500000000000,1600000000000,extra",
            "C8,Acme,1,a@b.c,cus,L8,-5,1600000000000");
    assertEquals(
        List.of(
            "header",
            "dead:missing_license_id",
            "dead:missing_customer_id",
            "dead:bad_issued_at",
            "dead:bad_expires_at",
            "dead:expires_before_issued",
            "dead:wrong_field_count: 7 fields, header has 8",
            "dead:wrong_field_count: 9 fields, header has 8",
            "row:L8@9"),
        out);
  }

  @Test
  void anUnclosedQuoteAtTheEndOfTheFileIsReported() {
    LicenseCsv csv = new LicenseCsv(null);
    List<String> out =
        run(
            csv,
            "customerid,company,number,email,stripeid,licenseid,issuedat,expiresat",
            "C1,\"Acme,1,a@b.c,cus,L1,1500000000000,1600000000000");
    assertEquals(List.of("header", "filtered:continued_on_next_line"), out);
    assertEquals("bad_csv: unclosed quote", csv.endOfFile());
    assertNull(csv.endOfFile());
  }

  @Test
  void snapshotDatesComeFromFolderAndName() {
    assertEquals(18263, LicenseFiles.snapshotEpochDay("/in/2020-01-02/licenses-2020-01-02.csv"));
    assertEquals(18263, LicenseFiles.snapshotEpochDay("s3://b/p/2020-01-02/2020-01-02.csv"));
    assertEquals(Integer.MIN_VALUE, LicenseFiles.snapshotEpochDay("/in/2020-01-02/licenses-2020-01-03.csv"));
    assertEquals(Integer.MIN_VALUE, LicenseFiles.snapshotEpochDay("/in/2020-01-02/licenses-2020-01-02.csv.gz"));
    assertEquals(Integer.MIN_VALUE, LicenseFiles.snapshotEpochDay("/in/x2020-01-02/2020-01-02.csv"));
    assertEquals(Integer.MIN_VALUE, LicenseFiles.snapshotEpochDay("/in/2020-02-30/2020-02-30.csv"));
    LicenseCsv csv = new LicenseCsv(null);
    csv.startFile("/in/licenses.csv");
    assertEquals(dw.transforms.logs.LineParser.Outcome.DEAD, csv.parse("customerid", 1));
    assertTrue(csv.deadReason().startsWith("bad_file_name"));
  }

  @Test
  void deadLettersCarryHashedEmails() {
    dw.transforms.privacy.EmailPolicy p =
        new dw.transforms.privacy.EmailPolicy(
            new dw.transforms.privacy.IpPseudonymizer(new byte[16]), false);
    LicenseCsv csv = new LicenseCsv(p);
    String raw = "C1,Acme,1,IT@Example.com,cus,,1,2";
    assertEquals("C1,Acme,1,email-hash:" + p.hash("it@example.com") + ",cus,,1,2", csv.redact(raw));
    assertEquals("no address here", csv.redact("no address here"));
  }

  /**
   * The documented token rule, as the regular expression it was once written with, on pieces that
   * exercise the edges ({@code @} first or last, doubled, between separators); and a 10 MB run with
   * an {@code @} at one end (which took the regular expression days) in linear time.
   */
  @Test
  void emailRedactionIsTheTokenRuleInOnePass() {
    dw.transforms.privacy.EmailPolicy p =
        new dw.transforms.privacy.EmailPolicy(new dw.transforms.privacy.IpPseudonymizer(new byte[16]), false);
    LicenseCsv csv = new LicenseCsv(p);
    java.util.regex.Pattern rule = java.util.regex.Pattern.compile("[^\\s,;\"<>()]+@[^\\s,;\"<>()]+");
    String[] pieces = {"@", "a", "b.c", " ", ",", ";", "\"", "<", ">", "(", ")", "\t", "@@", "x@y"};
    java.util.Random r = new java.util.Random(11);
    for (int k = 0; k < 5000; k++) {
      StringBuilder b = new StringBuilder();
      for (int i = r.nextInt(12); i > 0; i--) {
        b.append(pieces[r.nextInt(pieces.length)]);
      }
      String raw = b.toString();
      java.util.regex.Matcher m = rule.matcher(raw);
      StringBuilder want = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(want, java.util.regex.Matcher.quoteReplacement("email-hash:" + p.hash(m.group())));
      }
      m.appendTail(want);
      assertEquals(want.toString(), csv.redact(raw), raw);
    }
    String huge = "@" + "a".repeat(10 * 1024 * 1024);
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(20), () -> assertEquals(huge, csv.redact(huge)));
    String tail = "a".repeat(10 * 1024 * 1024) + "@b";
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(20), () -> assertTrue(csv.redact(tail).startsWith("email-hash:")));
  }

  @Test
  void millisAcceptOnlyIntegers() {
    assertEquals(0L, LicenseCsv.millis("0"));
    assertEquals(-5L, LicenseCsv.millis("-5"));
    assertEquals(Long.MIN_VALUE, LicenseCsv.millis("-"));
    assertEquals(Long.MIN_VALUE, LicenseCsv.millis("1.5"));
    assertEquals(Long.MIN_VALUE, LicenseCsv.millis("12345678901234567890"));
    // absurd numbers: beyond a long (which used to wrap around), outside the years 0001-9999
    assertEquals(Long.MIN_VALUE, LicenseCsv.millis("9999999999999999999"));
    assertEquals(Long.MIN_VALUE, LicenseCsv.millis("9223372036854775807"));
    assertEquals(Long.MIN_VALUE, LicenseCsv.millis("253402300800000"));
    assertEquals(Long.MIN_VALUE, LicenseCsv.millis("-62135596800001"));
    assertEquals(253402300799999L, LicenseCsv.millis("253402300799999"));
    assertEquals(-62135596800000L, LicenseCsv.millis("-62135596800000"));
    assertEquals(76163817227589L, LicenseCsv.millis("0076163817227589"));
  }
}
