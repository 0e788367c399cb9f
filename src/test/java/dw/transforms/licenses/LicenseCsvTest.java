package dw.transforms.licenses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
        case ROW -> out.add("row:" + csv.row().licenseId() + "@" + csv.row().lineNumber());
        case FILTERED -> out.add("filtered:" + LicenseCsv.FILTER_REASONS.get(csv.filterReason()));
        case DEAD -> out.add("dead:" + csv.deadReason());
      }
    }
    return out;
  }

  @Test
  void theOriginalsExampleFile() {
    // original-system.md §7.4 (a second day's snapshot repeats the first row)
    LicenseCsv csv = new LicenseCsv();
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
    LicenseCsv csv = new LicenseCsv();
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
    LicenseRow r = csv.row();
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
    LicenseCsv csv = new LicenseCsv();
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
    LicenseCsv csv = new LicenseCsv();
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
    LicenseCsv csv = new LicenseCsv();
    List<String> out =
        run(
            csv,
            "customerid,company,number,email,stripeid,licenseid,issuedat,expiresat",
            "C1,\"Acme,1,a@b.c,cus,L1,1500000000000,1600000000000");
    assertEquals(List.of("header", "filtered:continued_on_next_line"), out);
    assertEquals("bad_csv: unclosed quote", csv.finishFile());
    assertNull(csv.finishFile());
  }

  @Test
  void millisAcceptOnlyIntegers() {
    assertEquals(0L, LicenseCsv.millis("0"));
    assertEquals(-5L, LicenseCsv.millis("-5"));
    assertEquals(Long.MIN_VALUE, LicenseCsv.millis("-"));
    assertEquals(Long.MIN_VALUE, LicenseCsv.millis("1.5"));
    assertEquals(Long.MIN_VALUE, LicenseCsv.millis("12345678901234567890"));
  }
}
