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
  void aLocalLoadBalancerFolderIsDiscoveredByFolderAndListedByDay() throws Exception {
    Instant end = Instant.parse("2026-11-21T10:05:00Z");
    List<String> keys =
        List.of(
            AlbLogs.key("", "111111111111", "us-east-1", end, "a1"),
            AlbLogs.key("", "111111111111", "eu-central-1", end, "a2"),
            AlbLogs.key("", "222222222222", "us-east-1", end, "a3"),
            AlbLogs.key("", "222222222222", "us-east-1", end.plusSeconds(86_400), "a4"));
    for (String k : keys) {
      Path f = dir.resolve(k);
      Files.createDirectories(f.getParent());
      Files.write(f, AlbLogs.content(end, 2));
    }
    Files.write(dir.resolve("AWSLogs/111111111111/ELBAccessLogTestFile"), new byte[] {1});

    String input = dir.resolve("AWSLogs").toString();
    assertEquals(KeyLayout.ALB_DAYS, KeyLayout.forInput(input));
    LogStore store = LogStore.forInput(input);
    store.open(PipelineOptionsFactory.create());
    List<String> folders = KeyLayout.ALB_DAYS.discover(store);
    assertEquals(
        List.of(
            dir.resolve("AWSLogs/111111111111/elasticloadbalancing/eu-central-1") + "/",
            dir.resolve("AWSLogs/111111111111/elasticloadbalancing/us-east-1") + "/",
            dir.resolve("AWSLogs/222222222222/elasticloadbalancing/us-east-1") + "/"),
        folders.stream().sorted().toList());
    assertEquals(3, store.listingRequests(), "the accounts, then each account's regions");
    List<String> names = new ArrayList<>();
    for (String folder : folders) {
      for (MatchResult.Metadata m : store.list(folder + KeyLayout.ALB_DAYS.timePrefix(at("2026-11-21T00:00:00Z")))) {
        names.add(m.resourceId().getFilename());
        assertEquals(at("2026-11-21T00:00:00Z"), KeyLayout.ALB_DAYS.unitStart(m.resourceId().toString()));
      }
    }
    assertEquals(3, names.size(), names.toString());
    // an input that already names a region folder is its own (only) log prefix
    LogStore region = LogStore.forInput(dir.resolve("AWSLogs/222222222222/elasticloadbalancing/us-east-1").toString());
    assertEquals(
        List.of(dir.resolve("AWSLogs/222222222222/elasticloadbalancing/us-east-1") + "/"),
        KeyLayout.ALB_DAYS.discover(region));
    assertEquals(0, region.listingRequests());
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
