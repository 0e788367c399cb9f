package dw.io.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Time prefixes of a date range, and the local folder listed by prefix like an S3 bucket. */
class TimePrefixListingTest {
  @TempDir Path dir;

  static long at(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void aBackfillRangeBecomesDayPrefixesAndHourPrefixesForPartialDays() {
    long[] hours =
        CloudFrontKeys.fileHoursForDays(
            LocalDate.parse("2026-10-01").toEpochDay(), LocalDate.parse("2026-10-02").toEpochDay());
    assertEquals(
        List.of("2026-09-30-23.", "2026-10-01-", "2026-10-02-"),
        CloudFrontKeys.timePrefixes(hours[0], hours[1]));
    assertEquals(
        List.of("2026-10-01-22.", "2026-10-01-23.", "2026-10-02-00.", "2026-10-02-01."),
        CloudFrontKeys.timePrefixes(at("2026-10-01T22:00:00Z"), at("2026-10-02T01:00:00Z")));
    assertEquals("2026-01-02-03", CloudFrontKeys.hourStamp(at("2026-01-02T03:59:59Z")));
  }

  @Test
  void aLocalFolderIsDiscoveredAndListedByHourPrefix() throws Exception {
    Path a = Files.createDirectories(dir.resolve("EA"));
    Files.write(a.resolve("EA.2026-10-01-05.00000001.gz"), new byte[] {1});
    Files.write(a.resolve("EA.2026-10-01-05.00000002.gz"), new byte[] {1});
    Files.write(a.resolve("EA.2026-10-01-06.00000003.gz"), new byte[] {1});
    Files.write(dir.resolve("EB.2026-10-01-05.00000004.gz"), new byte[] {1});
    Files.createDirectories(dir.resolve("_truth"));
    Files.write(dir.resolve("_truth").resolve("EC.2026-10-01-05.00000005.gz"), new byte[] {1});
    Files.write(dir.resolve("notes.txt"), new byte[] {1});

    LogStore store = LogStore.forInput(dir.toString());
    store.open(PipelineOptionsFactory.create());
    List<String> prefixes = store.discoverPrefixes();
    assertEquals(List.of(a.resolve("EA.").toString(), dir.resolve("EB.").toString()), prefixes);
    List<String> names = new ArrayList<>();
    for (String p : prefixes) {
      for (MatchResult.Metadata m : store.list(p + "2026-10-01-05.")) {
        names.add(m.resourceId().getFilename());
      }
    }
    names.sort(null);
    assertEquals(
        List.of("EA.2026-10-01-05.00000001.gz", "EA.2026-10-01-05.00000002.gz", "EB.2026-10-01-05.00000004.gz"),
        names);
    assertTrue(LogStore.listableByPrefix(dir.toString()));
    assertTrue(LogStore.listableByPrefix("s3://bucket/prefix"));
  }

  @Test
  void badAddressesNameTheOption() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LogStore.forInput("s3:///logs"));
    assertTrue(e.getMessage().contains("--input=s3:///logs"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LogStore.forInput("gs://b/x"));
    assertTrue(e.getMessage().contains("--input=gs://b/x"), e.getMessage());
  }
}
