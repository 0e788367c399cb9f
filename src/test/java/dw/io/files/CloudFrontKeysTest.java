package dw.io.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class CloudFrontKeysTest {
  private static long hour(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void parsesTheHourOfACloudFrontName() {
    assertEquals(
        hour("2024-05-06T13:00:00Z"),
        CloudFrontKeys.hourStartMillis("E1ABCDEF2GHIJK.2024-05-06-13.5f3c9a1b.gz"));
  }

  @Test
  void acceptsPrefixesAndUris() {
    assertEquals(
        hour("2024-05-06T00:00:00Z"),
        CloudFrontKeys.hourStartMillis("s3://bucket/E1/E1ABCDEF2GHIJK.2024-05-06-00.a.gz"));
    assertEquals(
        hour("2024-12-31T23:00:00Z"),
        CloudFrontKeys.hourStartMillis("/tmp/logs/x/E2.2024-12-31-23.ffff.gz"));
  }

  @Test
  void rejectsOtherNames() {
    for (String bad :
        new String[] {
          "summary.json",
          "security_daily_totals.csv",
          "E1.2024-05-06-13.gz",
          "E1.2024-05-06-24.abc.gz",
          "E1.2024-02-30-01.abc.gz",
          "E1.2024-13-01-01.abc.gz",
          "E1.2024-05-06-13.abc.txt",
          ".2024-05-06-13.abc.gz",
          "E1.20240506-13.abc.gz"
        }) {
      assertEquals(-1, CloudFrontKeys.hourStartMillis(bad), bad);
    }
  }

  @Test
  void backfillReadsFromTheLastHourOfThePreviousDay() {
    long from = LocalDate.parse("2024-05-06").toEpochDay();
    long to = LocalDate.parse("2024-05-07").toEpochDay();
    long[] hours = CloudFrontKeys.fileHoursForDays(from, to);
    assertEquals(hour("2024-05-05T23:00:00Z"), hours[0]);
    assertEquals(hour("2024-05-07T23:00:00Z"), hours[1]);
  }
}
