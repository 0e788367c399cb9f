package dw.io.files;

import dw.transforms.common.CounterNames;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Watch;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Lists the CloudFront log files under {@code --input} (a local folder, searched recursively, or
 * any Beam filesystem such as {@code s3://bucket/prefix}).
 *
 * <p>Bounded: one listing, keeping only files whose names can hold requests of the backfill's
 * days ({@link CloudFrontKeys#fileHoursForDays}). Unbounded: lists again every poll interval and
 * emits each new file once (Beam's {@code Watch}). Files not named like CloudFront logs are
 * skipped and counted ({@code files_skipped}).
 */
public final class ListLogFiles extends PTransform<PBegin, PCollection<MatchResult.Metadata>> {
  private final String input;
  private final long fromHourMillis;
  private final long toHourMillis;
  private final Duration pollInterval;

  private ListLogFiles(String input, long fromHour, long toHour, Duration pollInterval) {
    this.input = input;
    this.fromHourMillis = fromHour;
    this.toHourMillis = toHour;
    this.pollInterval = pollInterval;
  }

  /** A backfill listing of the files that can hold requests of the UTC days [from, to]. */
  public static ListLogFiles forDays(String input, long fromEpochDay, long toEpochDay) {
    long[] hours = CloudFrontKeys.fileHoursForDays(fromEpochDay, toEpochDay);
    return new ListLogFiles(input, hours[0], hours[1], null);
  }

  /** A continuous listing for the unbounded pipeline. */
  public static ListLogFiles watching(String input, Duration pollInterval) {
    return new ListLogFiles(input, Long.MIN_VALUE, Long.MAX_VALUE, pollInterval);
  }

  /** The file pattern for an input: a folder becomes {@code <folder>/**}. */
  public static String filePattern(String input) {
    String in = input.trim();
    if (in.contains("*") || in.contains("?") || in.contains("[")) {
      return in;
    }
    boolean remote = in.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
    if (!remote && Files.isRegularFile(Paths.get(in))) {
      return Paths.get(in).toAbsolutePath().toString();
    }
    if (!remote) {
      in = Paths.get(in).toAbsolutePath().normalize().toString();
    }
    return in.endsWith("/") ? in + "**" : in + "/**";
  }

  @Override
  public PCollection<MatchResult.Metadata> expand(PBegin begin) {
    FileIO.Match match =
        FileIO.match().filepattern(filePattern(input)).withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW);
    if (pollInterval != null) {
      match = match.continuously(pollInterval, Watch.Growth.never());
    }
    return begin
        .apply("MatchFiles", match)
        .apply("SelectCloudFrontFiles", ParDo.of(new SelectFn(fromHourMillis, toHourMillis)));
  }

  static final class SelectFn extends DoFn<MatchResult.Metadata, MatchResult.Metadata> {
    private final long fromHour;
    private final long toHour;
    private final Counter skipped = Metrics.counter(CounterNames.NAMESPACE, CounterNames.FILES_SKIPPED);

    SelectFn(long fromHour, long toHour) {
      this.fromHour = fromHour;
      this.toHour = toHour;
    }

    @ProcessElement
    public void process(
        @Element MatchResult.Metadata file, OutputReceiver<MatchResult.Metadata> out) {
      if (file.resourceId().isDirectory()) {
        return;
      }
      long hour = CloudFrontKeys.hourStartMillis(file.resourceId().toString());
      if (hour < 0) {
        skipped.inc();
        return;
      }
      if (hour >= fromHour && hour <= toHour) {
        out.output(file);
      }
    }
  }
}
